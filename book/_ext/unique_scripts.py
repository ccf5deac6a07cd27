"""Drop repeated inline scripts from each page.

sphinx-thebe (loaded by jupyter-book 1.x) adds its `const THEBE_JS_URL = ...` script once per
read pass; a page that declares the same `const` twice logs an error in every browser console.
"""

from __future__ import annotations


def _dedupe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # the repeat differs only in filename None vs "" (both mean an inline script)
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", _dedupe, priority=900)  # after the handlers that add scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
