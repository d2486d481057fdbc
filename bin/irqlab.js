#!/usr/bin/env node
'use strict';
require('./irqlab-launch').launch(process.argv.slice(2));
