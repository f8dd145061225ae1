import PolicyLang

/// The page's only style sheet, inline, so the page needs no other file.
extension DocumentationPage {
    static let css = """

    :root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe3; --bg: #f5f7fa; --error: #b3261e; --warning: #a85f00; --info: #2f6db5; --code: #f3f5f8; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
    header { background: #1f3b57; color: #fff; padding: 20px 24px 16px; }
    header h1 { margin: 0 0 4px; font-size: 24px; }
    header .policy { margin: 0 0 12px; color: #d6e2ee; }
    header a { color: #fff; }
    header code { background: rgba(255,255,255,0.12); color: #fff; }
    dl.facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
    dl.facts dt { font-size: 12px; color: #b8c9da; }
    dl.facts dd { margin: 0; font-size: 15px; font-weight: 600; }
    ul.chain { margin: 12px 0 0; padding-left: 18px; color: #d6e2ee; font-size: 13px; }
    nav.toc { background: #fff; border-bottom: 1px solid var(--line); padding: 8px 24px 12px; font-size: 14px; }
    nav.toc h2 { font-size: 15px; margin: 4px 0; }
    nav.toc ol { margin: 0; padding-left: 20px; }
    nav.toc ol.rules { columns: 2 340px; }
    main { padding: 8px 24px 24px; max-width: 1180px; }
    section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px 16px; margin: 16px 0; }
    h2 { font-size: 19px; margin: 4px 0 8px; }
    h3 { font-size: 16px; margin: 4px 0 6px; }
    h4 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
    .hint, .muted, .note { color: var(--muted); }
    .hint { margin: 0 0 10px; font-size: 13px; }
    .note { font-size: 12px; margin: -4px 0 8px; }
    .missing-doc { color: var(--warning); }
    .group { border-left: 3px solid #c7d3e0; padding-left: 12px; margin: 18px 0; }
    article.rule { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 10px 0; background: #fff; }
    article.rule.removed { background: #f7f7f7; }
    article.rule.removed .rule-id { text-decoration: line-through; }
    article.rule:target, tr:target, div.definition:target { outline: 2px solid #f0b429; }
    .rule-id { font-size: 15px; }
    .badges { margin: 0 0 8px; }
    .badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; background: #eceff2; color: var(--ink); }
    .badge.sev-error { background: var(--error); color: #fff; }
    .badge.sev-warning { background: #f6d58e; color: #4d2f00; }
    .badge.sev-info { background: #d9e7f7; color: #1d4f8a; }
    .badge.override, .badge.rel.override { background: #efe1f7; color: #5b2a7a; }
    .badge.adopt { background: #e3f1e6; color: #22653a; }
    .badge.remove { background: #fbe3e1; color: var(--error); }
    .badge.caseload { background: #fff1d6; color: #6b4a00; }
    blockquote { margin: 6px 0 10px; padding: 6px 12px; border-left: 4px solid #8fb8e0; background: #f2f7fc; }
    blockquote p { margin: 0 0 4px; }
    blockquote.intro { border-left-color: var(--line); background: #fafbfc; }
    dl.meta { display: flex; flex-wrap: wrap; gap: 2px 24px; margin: 0 0 6px; font-size: 13px; }
    dl.meta dt { color: var(--muted); }
    dl.meta dd { margin: 0; }
    .relation { font-size: 14px; margin: 6px 0; }
    code { font-family: "DejaVu Sans Mono", "Noto Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; background: var(--code); padding: 0 3px; border-radius: 3px; }
    pre.code { background: var(--code); border: 1px solid #e3e8ee; border-radius: 6px; padding: 8px 10px; overflow-x: auto; margin: 4px 0 8px; }
    pre.code code { background: none; padding: 0; font-size: 13px; line-height: 1.45; }
    .kw { color: #7a2e8e; font-weight: 600; }
    .def { color: #0b5c8c; font-weight: 700; }
    .id { color: #1d2733; }
    a.ref { color: #0b5c8c; text-decoration: underline dotted; }
    .fld { color: #375a1f; }
    .typ { color: #8a4b08; }
    .str { color: #a0410d; }
    .num { color: #0a6e62; }
    .com { color: #6a737d; font-style: italic; }
    .sev { font-weight: 700; }
    .sev-error { color: var(--error); }
    .sev-warning { color: var(--warning); }
    .sev-info { color: var(--info); }
    .hole { background: #fff1c2; border-radius: 3px; }
    details.base { margin: 6px 0; }
    details.base summary { cursor: pointer; color: var(--muted); font-size: 13px; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 8px; }
    th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
    thead th { background: #eef2f6; font-weight: 600; }
    tr.indirect td { color: var(--muted); }
    tr.overridden td:first-child { border-left: 3px solid #9b59b6; }
    code.value { white-space: pre-wrap; }
    table.params code.value, table.uses td:nth-child(2) { white-space: nowrap; }
    td.self, th.self, tr.self td { background: #fffbe6; }
    .definition { border-top: 1px solid var(--line); padding: 8px 0; }
    footer { padding: 0 24px 24px; color: var(--muted); font-size: 12px; max-width: 1180px; }
    @media print { body { background: #fff; } section, article.rule { break-inside: avoid; } nav.toc { display: none; } header { color: #000; background: none; } header code { color: #000; } }

    """
}
