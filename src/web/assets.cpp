#include "web/assets.hpp"

namespace spampot::web {

std::string_view console_css() {
  return R"css(
:root { --fg: #1d2127; --muted: #5d6875; --line: #d8dde3; --bg: #f6f7f9; --card: #fff; --accent: #b3261e; --link: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { background: #20252c; color: #fff; padding: 0 20px; display: flex; align-items: center; gap: 24px; }
header .brand { font-weight: 700; letter-spacing: .02em; padding: 12px 0; }
header .brand span { color: #ff8a80; }
nav a { color: #cfd6de; text-decoration: none; padding: 14px 10px; display: inline-block; }
nav a:hover, nav a:focus, nav a.active { color: #fff; background: #2f3640; outline: none; }
main { padding: 20px; max-width: 1400px; }
h1 { font-size: 20px; margin: 0 0 16px; }
h2 { font-size: 15px; margin: 0 0 10px; }
h3 { font-size: 13px; margin: 10px 0 6px; color: var(--muted); }
a { color: var(--link); }
a:focus { outline: 2px solid #f0b429; outline-offset: 1px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 18px; }
.card, section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; }
.card .n { font-size: 22px; font-weight: 700; }
.card .k { color: var(--muted); font-size: 12px; }
.card .sub { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; margin-bottom: 14px; }
section.panel { margin-bottom: 14px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { overflow-wrap: break-word; }
td.when { white-space: nowrap; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { background: #f1f3f5; border: 1px solid var(--line); border-radius: 4px; padding: 10px; overflow: auto; max-height: 480px; white-space: pre-wrap; word-break: break-word; }
iframe.live { width: 100%; height: 440px; border: 0; display: block; }
body.frame { background: var(--card); }
iframe.html-body { width: 100%; height: 420px; border: 1px solid var(--line); background: #fff; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart rect { fill: #c0392b; }
svg.chart.bars rect { fill: #2e6fb7; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg.chart text.label { fill: var(--fg); }
svg.chart.stacked rect { fill: inherit; }
p.legend { margin: 6px 0 0; font-size: 12px; color: var(--muted); }
p.legend .key { margin-right: 12px; white-space: nowrap; }
form.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 8px 12px; margin-bottom: 14px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
form.filters input { font: inherit; padding: 5px 7px; border: 1px solid #b9c1ca; border-radius: 4px; }
form.filters button, a.button { font: inherit; padding: 6px 14px; border: 0; border-radius: 4px; background: #2e6fb7; color: #fff; text-decoration: none; cursor: pointer; align-self: end; }
.muted { color: var(--muted); }
.warn { color: var(--accent); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; word-break: break-word; }
.pager { margin-top: 10px; display: flex; gap: 10px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; background: #eef1f4; font-size: 12px; margin-right: 4px; }
)css";
}

}  // namespace spampot::web
