"""Scripts a browser test evaluates in a workbook page (Playwright's ``page.evaluate``), shared by the served-page
tests (tests/browser/test_browser_workshop_ux.py) and the real-hub test (tests/browser/test_hub.py)."""
from __future__ import annotations

# the page's own kernel id, from the config Voila writes into the page
KERNEL_ID_JS = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
# where an element is in the viewport (None when absent), and whether the deep-link script marked it
IN_VIEW_JS = """sel => { const el = document.querySelector(sel); if (!el) return null;
  const r = el.getBoundingClientRect(); return {top: Math.round(r.top), height: window.innerHeight, linked: el.dataset.wbLinked || null}; }"""
