#!/usr/bin/env node
'use strict';
// `irqlab dap` as a single executable path, for DAP clients (and DebugClient) that cannot pass arguments.
require('./irqlab-launch').launch(['dap']);
