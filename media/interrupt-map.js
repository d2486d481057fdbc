// Interrupt map webview: draws the routing picture the extension posts (sources →
// (server, priority) event queues → presenters) and sends back reveal requests.
// Runs under a strict CSP: no inline handlers, no remote content, text via textContent only.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const mapEl = /** @type {HTMLElement} */ (document.getElementById('map'));
  const statusEl = /** @type {HTMLElement} */ (document.getElementById('status'));
  /** @type {any} */
  let current = null;
  /** "fromKey>toKey" → tooltip of a link drawn in red. @type {Map<string, string>} */
  let blockedEdges = new Map();

  const queueKey = (server, priority) => `q:${server}:${priority}`;
  const presenterKey = (server) => `p:${server}`;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function hex(n, digits) {
    return '0x' + Number(n).toString(16).padStart(digits, '0');
  }

  /** A focusable node; `links` are the keys of the nodes it connects to. */
  function node(key, links, title, lines, label, onActivate) {
    const b = el('button', 'node');
    b.type = 'button';
    b.dataset.key = key;
    b.dataset.links = links.join(' ');
    b.setAttribute('aria-label', label);
    b.appendChild(el('span', 'title', title));
    for (const [cls, text] of lines) b.appendChild(el('span', `line ${cls}`, text));
    b.addEventListener('click', onActivate);
    b.addEventListener('focus', () => highlight(key));
    b.addEventListener('mouseenter', () => highlight(key));
    b.addEventListener('keydown', (ev) => navigate(ev, b));
    return b;
  }

  function column(name, nodes, note) {
    const section = el('section', 'column');
    section.setAttribute('aria-label', name);
    section.appendChild(el('h2', undefined, name));
    if (note) section.appendChild(el('p', 'note', note));
    const list = el('div', 'nodes');
    list.setAttribute('role', 'group');
    for (const n of nodes) list.appendChild(n);
    if (nodes.length === 0) list.appendChild(el('p', 'empty', 'none'));
    section.appendChild(list);
    return section;
  }

  function render(map) {
    current = map;
    mapEl.replaceChildren();
    const where = map.line ? `line ${map.line}` : 'end of scenario';
    statusEl.textContent = `${map.device ?? 'no device'} · step ${map.step} · ${where}`;
    const queueKeys = new Set(map.queues.map((q) => queueKey(q.server, q.priority)));

    // Blocked routes (the explanation's stopping link): red edges keyed "from>to", with the reason as tooltip.
    blockedEdges = new Map();
    const blockedPresenterEdge = (key, text) => blockedEdges.set(key, blockedEdges.has(key) ? `${blockedEdges.get(key)}\n${text}` : text);
    const sources = map.sources.map((s) => {
      const target = queueKey(s.server, s.priority);
      const links = s.routed && queueKeys.has(target) ? [target] : [];
      const routing = s.routed ? `→ server ${s.server} prio ${s.priority}` : 'not routed';
      const b = s.blocked && typeof s.blocked.reason === 'string' ? s.blocked : null;
      const tip = b ? `${hex(s.irq, 4)} blocked: ${b.short}\n${b.reason}` : '';
      if (b && links.length > 0 && (b.at === 'source' || b.at === 'queue')) blockedEdges.set(`s:${s.irq}>${target}`, tip);
      if (b && links.length > 0 && b.at === 'presenter') blockedPresenterEdge(`${target}>${presenterKey(s.server)}`, tip);
      const lines = [[`pq pq-${s.pq.replace(/[^PQ-]/g, '')}`, `PQ ${s.pq}${s.asserted ? ' · asserted' : ''}`], ['', routing], ['summary', s.summary]];
      if (typeof s.route === 'string') lines.push([b ? 'route blocked' : 'route', s.route]);
      const n = node(
        `s:${s.irq}`,
        links,
        `${hex(s.irq, 4)} ${s.type}`,
        lines,
        `source ${hex(s.irq, 4)}, ${s.type}, PQ ${s.pq}, ${routing}${s.route ? `, ${s.route}` : ''}${s.line ? `, configured on line ${s.line}` : ''}`,
        () => (s.line ? vscode.postMessage({ type: 'reveal-line', line: s.line }) : vscode.postMessage({ type: 'reveal-variable', path: `Sources/${hex(s.irq, 4)}` })),
      );
      if (b) {
        n.classList.add('blocked');
        n.title = tip;
      }
      return n;
    });

    const queues = map.queues.map((q) => {
      const fill = q.entries > 0 ? Math.min(1, q.unread / q.entries) : 0;
      const n = node(
        queueKey(q.server, q.priority),
        [presenterKey(q.server)],
        `EQ server ${q.server} prio ${q.priority}`,
        [['', `index ${q.index}/${q.entries} · gen ${q.generation}`], ['', `${q.unread} unread · ${q.count} written`]],
        `event queue of server ${q.server} priority ${q.priority}: ${q.unread} unread of ${q.entries} entries, index ${q.index}, generation ${q.generation}`,
        () => vscode.postMessage({ type: 'reveal-variable', path: `Event queues/server ${q.server} prio ${q.priority}` }),
      );
      const bar = el('span', 'fill');
      const inner = el('span', 'fill-level');
      inner.style.width = `${Math.round(fill * 100)}%`;
      bar.appendChild(inner);
      n.appendChild(bar);
      return n;
    });

    const presenters = map.presenters.map((p) => {
      const pending = p.pending.length > 0 ? `pending prio ${p.pending.join(', ')}` : 'nothing pending';
      return node(
        presenterKey(p.server),
        [],
        `vCPU ${p.vcpu} (${p.kind.toUpperCase()} ${p.server})`,
        [['', `CPPR ${hex(p.cppr, 2)} · ${pending}`], ['summary', p.summary], ['', p.running ? 'running' : 'idle']],
        `presenter of vCPU ${p.vcpu}, ${p.kind}, CPPR ${p.cppr}, ${pending}`,
        () => vscode.postMessage({ type: 'reveal-variable', path: `Presenters/vcpu ${p.vcpu}` }),
      );
    });

    const sourceNote = map.totalSources > map.sources.length ? `showing ${map.sources.length} of ${map.totalSources}` : undefined;
    mapEl.append(column('Sources', sources, sourceNote), column('Event queues', queues), column('Presenters', presenters));
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.classList.add('links');
    svg.setAttribute('aria-hidden', 'true');
    mapEl.appendChild(svg);
    drawLinks();
  }

  /** Straight connectors between linked nodes, redrawn after layout changes. */
  function drawLinks() {
    const svg = mapEl.querySelector('svg.links');
    if (!svg) return;
    const box = mapEl.getBoundingClientRect();
    svg.setAttribute('width', String(mapEl.scrollWidth));
    svg.setAttribute('height', String(mapEl.scrollHeight));
    svg.replaceChildren();
    /** @type {string[]} */
    const drawnBlocked = [];
    for (const from of mapEl.querySelectorAll('button.node')) {
      for (const key of (from.getAttribute('data-links') || '').split(' ').filter(Boolean)) {
        const to = mapEl.querySelector(`button.node[data-key="${key}"]`);
        if (!to) continue;
        const a = from.getBoundingClientRect();
        const b = to.getBoundingClientRect();
        const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
        line.setAttribute('x1', String(a.right - box.left + mapEl.scrollLeft));
        line.setAttribute('y1', String(a.top + a.height / 2 - box.top + mapEl.scrollTop));
        line.setAttribute('x2', String(b.left - box.left + mapEl.scrollLeft));
        line.setAttribute('y2', String(b.top + b.height / 2 - box.top + mapEl.scrollTop));
        line.dataset.from = from.getAttribute('data-key') || '';
        line.dataset.to = key;
        const tip = blockedEdges.get(`${line.dataset.from}>${key}`);
        if (tip !== undefined) {
          line.classList.add('blocked');
          const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
          title.textContent = tip;
          line.appendChild(title);
          drawnBlocked.push(tip);
        }
        svg.appendChild(line);
      }
    }
    // Unrouted blocked sources (masked, not declared) have no link: their node carries the red mark.
    for (const n of mapEl.querySelectorAll('button.node.blocked')) {
      if (!(n.getAttribute('data-links') || '')) drawnBlocked.push(n.title);
    }
    if (current) vscode.postMessage({ type: 'drawn', step: current.step, blocked: drawnBlocked });
  }

  /** Marks the focused node and everything it routes from or to. */
  function highlight(key) {
    const related = new Set([key]);
    for (const n of mapEl.querySelectorAll('button.node')) {
      const links = (n.getAttribute('data-links') || '').split(' ');
      if (n.getAttribute('data-key') === key) links.forEach((l) => related.add(l));
      if (links.includes(key)) related.add(n.getAttribute('data-key') || '');
    }
    for (const n of mapEl.querySelectorAll('button.node')) n.classList.toggle('related', related.has(n.getAttribute('data-key') || ''));
    for (const l of mapEl.querySelectorAll('svg.links line')) {
      l.classList.toggle('related', l.getAttribute('data-from') === key || l.getAttribute('data-to') === key);
    }
  }

  /** Arrow keys: up/down within a column, left/right to a linked node (or the neighbour column). */
  function navigate(ev, b) {
    const siblings = Array.from(b.parentElement.querySelectorAll('button.node'));
    const i = siblings.indexOf(b);
    const columns = Array.from(mapEl.querySelectorAll('section.column'));
    const c = columns.indexOf(b.closest('section.column'));
    let target = null;
    if (ev.key === 'ArrowDown') target = siblings[Math.min(i + 1, siblings.length - 1)];
    else if (ev.key === 'ArrowUp') target = siblings[Math.max(i - 1, 0)];
    else if (ev.key === 'Home') target = siblings[0];
    else if (ev.key === 'End') target = siblings[siblings.length - 1];
    else if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      const next = columns[c + (ev.key === 'ArrowRight' ? 1 : -1)];
      if (next) {
        const key = b.dataset.key;
        const links = (b.dataset.links || '').split(' ');
        const candidates = Array.from(next.querySelectorAll('button.node'));
        target =
          candidates.find((n) => links.includes(n.getAttribute('data-key') || '')) ||
          candidates.find((n) => (n.getAttribute('data-links') || '').split(' ').includes(key || '')) ||
          candidates[0] ||
          null;
      }
    }
    if (target) {
      ev.preventDefault();
      target.focus();
    }
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'update' && msg.map && Array.isArray(msg.map.sources)) render(msg.map);
    else if (msg.type === 'idle') {
      statusEl.textContent = String(msg.reason || 'No debug session.');
      if (!current) mapEl.replaceChildren();
    }
  });
  window.addEventListener('resize', drawLinks);
  vscode.postMessage({ type: 'ready' });
})();
