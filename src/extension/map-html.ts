/**
 * The interrupt map page's HTML: a strict Content-Security-Policy (nothing by default;
 * styles and images only from the webview's own resource origin; scripts only with this
 * render's nonce), no inline script or style, no remote content. No `vscode` import, so
 * the policy is unit-tested.
 */
export interface MapPageResources {
  /** webview.cspSource */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** Fresh per render, base64. */
  readonly nonce: string;
}

export function interruptMapHtml(r: MapPageResources): string {
  const csp = [`default-src 'none'`, `style-src ${r.cspSource}`, `img-src ${r.cspSource}`, `script-src 'nonce-${r.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${r.styleUri}">
<title>Interrupt Map</title>
</head>
<body>
<header><h1>Interrupt routing</h1><p id="status" role="status" aria-live="polite">Loading…</p></header>
<main id="map" aria-label="Sources, event queues and presenters"></main>
<script nonce="${r.nonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}
