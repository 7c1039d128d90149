"""GeoDataFrame -> folium.Map of the border zone.  Never writes a file (see :func:`to_html`).

The incidents are sent to the page once, as JSON in a ``<script type="application/json">``
element, and drawn by a small script on Leaflet's canvas renderer.  Everything that
comes from an article reaches the page as JSON data and is put into the popups with
``textContent``, never as HTML, so a ``<script>`` in a title or a quote stays text.

How a place is drawn says how precisely it is known:

* precision 1 (an exact place): a filled dot, its size by fatalities;
* precision 2-4 (an area, a county or district, a province): a dashed circle of the
  uncertainty radius around a hollow dot;
* a border region: a band along the Iran–Pakistan border line;
* known only to a country, or not located at all: listed in the summary panel,
  not drawn as a point.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from geo import boundaries
from geo.boundaries import BORDER_REGIONS
from geo.vocab import EVENT_TYPES

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

#: The two provinces with a margin: what the map frames.
ZONE_BOUNDS = [[24.4, 58.4], [32.4, 70.5]]
TITLE = "Militant violence and cross-border strikes in the Iran–Pakistan border zone"

_POPUP_FIELDS = (
    "id", "date", "date_precision", "date_basis", "place_text", "place_name", "place_id", "place_kind",
    "place_reason", "country", "admin1", "admin2", "lat", "lon", "location_precision", "precision_label",
    "uncertainty_km", "event_type", "event_label", "perpetrator", "perpetrator_attribution", "target",
    "fatalities_best", "fatalities_low", "fatalities_high", "fatalities_note", "attackers_killed",
    "injured", "injured_note", "sources", "notes",
)  # fmt: skip


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item") and not isinstance(value, (str, list, dict)):
        return _plain(value.item())
    if str(value) == "<NA>":
        return None
    return value


def page_data(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """What the page needs, as plain JSON-ready data."""
    ordered = gdf.sort_values("id", kind="stable")
    columns = {c: ordered[c].tolist() for c in _POPUP_FIELDS}
    incidents = []
    for i in range(len(ordered)):
        row = {c: _plain(columns[c][i]) for c in _POPUP_FIELDS}
        row["strip"] = row["place_id"] in BORDER_REGIONS
        incidents.append(row)
    types = {
        slug: {
            "label": et.label,
            "colour": et.colour,
            "acled": f"{et.acled_event_type} / {et.acled_sub_event_type}",
        }
        for slug, et in EVENT_TYPES.items()
    }
    border = [[lat, lon] for lat, lon in boundaries.border_vertices()]
    return {"title": TITLE, "incidents": incidents, "types": types, "border": border, "bounds": ZONE_BOUNDS}


def json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment, whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


def render_map(gdf: gpd.GeoDataFrame, *, subtitle: str | None = None) -> folium.Map:
    """The incidents on a map of the zone, with its border, provinces, legend and summary."""
    import folium
    from branca.element import Element, MacroElement
    from jinja2 import Template

    m = folium.Map(location=[28.4, 64.4], zoom_start=6, tiles=None, control_scale=True, prefer_canvas=True)
    # The page needs Leaflet alone: no jQuery, Bootstrap or icon fonts from other CDNs.
    m.default_js = [(name, url) for name, url in m.default_js if name == "leaflet"]
    m.default_css = [(name, url) for name, url in m.default_css if name == "leaflet_css"]
    folium.TileLayer(
        "OpenStreetMap",
        name="OpenStreetMap",
        attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ).add_to(m)
    zone = boundaries.zone()
    folium.GeoJson(
        zone,
        name="Countries and provinces",
        style_function=_boundary_style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        control=False,
    ).add_to(m)
    folium.GeoJson(
        boundaries.border(),
        name="Iran–Pakistan border",
        style_function=lambda _f: {"color": "#111111", "weight": 3, "opacity": 0.9},
        control=False,
    ).add_to(m)
    data = page_data(gdf)
    data["subtitle"] = subtitle or ""
    layer = MacroElement()  # type: ignore[no-untyped-call]
    layer._name = "IncidentLayer"
    layer._template = Template(
        "{% macro header(this, kwargs) %}<style>" + _CSS + "</style>{% endmacro %}"
        "{% macro html(this, kwargs) %}"
        '<script type="application/json" id="geo-incidents">' + json_for_script(data) + "</script>"
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}(" + _JS + ")({{ this._parent.get_name() }});{% endmacro %}"
    )
    m.add_child(layer)
    root: Any = m.get_root()
    root.header.add_child(Element('<meta name="generator" content="geo">'))
    return m


def _boundary_style(feature: dict[str, Any]) -> dict[str, Any]:
    if feature["properties"].get("level") == 1:
        return {
            "color": "#555555",
            "weight": 2,
            "dashArray": "6 4",
            "fillColor": "#ffe9a8",
            "fillOpacity": 0.12,
        }
    return {"color": "#777777", "weight": 1, "fillOpacity": 0.0}


def to_html(m: folium.Map) -> str:
    """The page as text, with stable element ids so that the same input gives the same bytes."""
    counter = 0

    def renumber(el: Any) -> None:
        nonlocal counter
        counter += 1
        el._id = f"{counter:05d}"
        children = list(el._children.values())
        el._children.clear()
        for child in children:
            renumber(child)
            el._children[child.get_name()] = child

    root = m.get_root()
    renumber(root)
    html: str = root.render()
    return html


_CSS = """
.geo-panel{background:#fff;padding:8px 10px;border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.4);
  font:13px/1.35 system-ui,sans-serif;max-width:340px;overflow-wrap:anywhere}
.geo-panel h1{font-size:15px;margin:0 0 4px}
.geo-panel .sub{color:#555;margin-bottom:4px}
.geo-legend i{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px;
  vertical-align:-2px;border:1px solid #333}
.geo-legend .area{background:transparent!important;border:2px dashed #333}
.geo-legend .band{width:22px;height:8px;border-radius:2px;opacity:.5;border:0;background:#555}
.geo-popup{font:13px/1.4 system-ui,sans-serif;max-width:360px}
.geo-group-head{font:600 13px system-ui,sans-serif;margin-bottom:6px}
.geo-popup h3{margin:0 0 4px;font-size:14px}
.geo-popup dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:1px 8px}
.geo-popup dt{color:#666}
.geo-popup dd{margin:0}
.geo-popup blockquote{margin:4px 0 6px;padding-left:8px;border-left:3px solid #bbb;color:#222}
.geo-popup .src{margin-top:6px}
.geo-list{margin:2px 0 0;padding-left:16px;max-height:180px;overflow:auto}
.geo-list button{border:0;background:none;color:#0645ad;cursor:pointer;padding:0;text-align:left;font:inherit;
  white-space:normal;overflow-wrap:anywhere}
"""

# The page's script.  It reads the JSON data and builds every piece of text with
# textContent: nothing from an article is ever parsed as HTML.
_JS = r"""
function (map) {
  var data = JSON.parse(document.getElementById('geo-incidents').textContent);
  // Frame the zone at once, without animation, so that the first frame is the final one.
  map.fitBounds(data.bounds, {animate: false});
  var types = data.types;
  // One canvas for everything (the map is created with preferCanvas): a second canvas on top
  // would swallow the clicks meant for the first.
  var MONTHS = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function safeUrl(u) {
    try { var p = new URL(u); return (p.protocol === 'http:' || p.protocol === 'https:') ? p.href : null; }
    catch (e) { return null; }
  }
  function fmtDate(d, prec) {
    if (!d) return 'unknown';
    var parts = d.split('-');
    if (prec === 'year') return parts[0] + ' (year only)';
    if (prec === 'month') return MONTHS[+parts[1] - 1] + ' ' + parts[0] + ' (month only)';
    return (+parts[2]) + ' ' + MONTHS[+parts[1] - 1] + ' ' + parts[0];
  }
  function fatalText(inc) {
    var b = inc.fatalities_best, lo = inc.fatalities_low, hi = inc.fatalities_high;
    if (b === null && lo === null && hi === null) return 'not reported';
    var s = (b !== null ? String(b) : 'unknown');
    var range = [];
    if (lo !== null) range.push('low ' + lo);
    if (hi !== null) range.push('high ' + hi);
    return s + (range.length ? ' (' + range.join(', ') + ')' : '');
  }
  function radiusFor(inc) {
    var n = inc.fatalities_best !== null ? inc.fatalities_best : (inc.fatalities_low !== null ? inc.fatalities_low : 0);
    return Math.min(26, 5 + 3 * Math.sqrt(n));
  }
  function row(dl, term, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', term));
    dl.appendChild(el('dd', value));
  }
  function popupFor(inc) {
    var box = el('div', null, 'geo-popup');
    var t = types[inc.event_type] || {label: inc.event_type};
    box.appendChild(el('h3', t.label));
    var dl = el('dl');
    row(dl, 'Date', fmtDate(inc.date, inc.date_precision));
    row(dl, 'Place (as written)', inc.place_text);
    var where = [inc.place_name, inc.admin2 !== inc.place_name ? inc.admin2 : null, inc.admin1, inc.country]
      .filter(function (x) { return x; }).join(', ');
    row(dl, 'Resolved to', where || 'not located');
    if (inc.location_precision !== null) {
      row(dl, 'Precision', inc.location_precision + ' – ' + inc.precision_label +
        (inc.uncertainty_km ? ' (±' + inc.uncertainty_km + ' km)' : ''));
    }
    row(dl, 'How resolved', inc.place_reason);
    if (inc.perpetrator) row(dl, 'Perpetrator', inc.perpetrator + (inc.perpetrator_attribution ? ' (' + inc.perpetrator_attribution + ')' : ''));
    row(dl, 'Target', inc.target);
    row(dl, 'Fatalities', fatalText(inc));
    row(dl, 'Fatalities note', inc.fatalities_note);
    row(dl, 'Attackers killed', inc.attackers_killed);
    row(dl, 'Injured', inc.injured !== null ? inc.injured : inc.injured_note);
    row(dl, 'Notes', inc.notes);
    box.appendChild(dl);
    (inc.sources || []).forEach(function (s, i) {
      var src = el('div', null, 'src');
      var head = el('div');
      var name = s.title || s.publisher || ('article ' + s.article);
      var url = s.url ? safeUrl(s.url) : null;
      var label = el(url ? 'a' : 'strong', 'Source ' + (i + 1) + ': ' + name);
      if (url) { label.href = url; label.target = '_blank'; label.rel = 'noopener noreferrer'; }
      head.appendChild(label);
      var meta = [s.publisher && s.title ? s.publisher : null, s.publication_date].filter(function (x) { return x; });
      if (meta.length) head.appendChild(el('span', ' — ' + meta.join(', ')));
      src.appendChild(head);
      (s.quotes || []).forEach(function (q) {
        var bq = el('blockquote', '“' + q.text + '”');
        bq.title = 'characters ' + q.start + '–' + q.end + ' of ' + s.article;
        src.appendChild(bq);
      });
      box.appendChild(src);
    });
    return box;
  }

  // Incidents at the very same point share their popups, so that none hides another.
  var atPoint = {};
  data.incidents.forEach(function (inc) {
    if (inc.lat === null) return;
    var key = inc.lat + ',' + inc.lon + ',' + inc.location_precision;
    (atPoint[key] = atPoint[key] || []).push(inc);
  });
  function popupAt(inc) {
    var group = atPoint[inc.lat + ',' + inc.lon + ',' + inc.location_precision] || [inc];
    if (group.length === 1) return popupFor(inc);
    var box = el('div', null, 'geo-popup-group');
    box.appendChild(el('div', group.length + ' incidents at this place', 'geo-group-head'));
    group.forEach(function (g, i) {
      if (i) box.appendChild(el('hr'));
      box.appendChild(popupFor(g));
    });
    return box;
  }

  var drawn = 0, listed = [];
  data.incidents.forEach(function (inc) {
    var colour = (types[inc.event_type] || {colour: '#333'}).colour;
    var layer = null;
    if (inc.lat === null || inc.lon === null || inc.location_precision === 6 || inc.location_precision === 7) {
      listed.push(inc);
      return;
    }
    if (inc.strip) {
      layer = L.polyline(data.border, {color: colour, weight: 16, opacity: 0.35});
    } else if (inc.location_precision === 1) {
      layer = L.circleMarker([inc.lat, inc.lon], {radius: radiusFor(inc), color: '#222',
        weight: 1, fillColor: colour, fillOpacity: 0.85});
    } else {
      var km = inc.uncertainty_km || 25;
      layer = L.featureGroup([
        L.circle([inc.lat, inc.lon], {radius: km * 1000, color: colour, weight: 2,
          dashArray: '6 5', fillColor: colour, fillOpacity: 0.08}),
        L.circleMarker([inc.lat, inc.lon], {radius: radiusFor(inc), color: colour,
          weight: 3, fillColor: '#ffffff', fillOpacity: 0.9})
      ]);
    }
    layer.bindPopup(function () { return popupAt(inc); }, {maxWidth: 380, maxHeight: 420});
    layer.addTo(map);
    drawn += 1;
  });
  window.geoIncidentCounts = {drawn: drawn, listed: listed.length, total: data.incidents.length};

  map.attributionControl.addAttribution('Boundaries: Natural Earth (public domain)');

  var summary = L.control({position: 'topright'});
  summary.onAdd = function () {
    var box = el('div', null, 'geo-panel geo-summary');
    box.appendChild(el('h1', data.title));
    if (data.subtitle) box.appendChild(el('div', data.subtitle, 'sub'));
    var dates = data.incidents.map(function (i) { return i.date; }).filter(function (d) { return d; }).sort();
    var deaths = 0, unknown = 0;
    data.incidents.forEach(function (i) {
      if (i.fatalities_best !== null) deaths += i.fatalities_best; else unknown += 1;
    });
    box.appendChild(el('div', data.incidents.length + ' incidents' +
      (dates.length ? ', ' + dates[0] + ' to ' + dates[dates.length - 1] : '')));
    box.appendChild(el('div', deaths + ' deaths (best estimates)' + (unknown ? '; ' + unknown + ' incidents without a count' : '')));
    if (listed.length) {
      box.appendChild(el('div', 'Not drawn (known only to a country, or unlocated):', 'sub'));
      var ul = el('ul', null, 'geo-list');
      listed.forEach(function (inc) {
        var li = el('li');
        var b = el('button', fmtDate(inc.date, inc.date_precision) + ' — ' + (types[inc.event_type] || {}).label +
          ' — ' + (inc.place_name || inc.place_text || 'unlocated'));
        b.onclick = function () {
          var at = (inc.lat !== null) ? [inc.lat, inc.lon] : map.getCenter();
          L.popup({maxWidth: 380}).setLatLng(at).setContent(popupFor(inc)).openOn(map);
        };
        li.appendChild(b);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  summary.addTo(map);

  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var box = el('div', null, 'geo-panel geo-legend');
    box.appendChild(el('strong', 'Event type'));
    var present = {};
    data.incidents.forEach(function (i) { present[i.event_type] = true; });
    Object.keys(types).forEach(function (slug) {
      if (!present[slug]) return;
      var line = el('div');
      var sw = el('i');
      sw.style.background = types[slug].colour;
      line.appendChild(sw);
      line.appendChild(document.createTextNode(types[slug].label));
      line.title = 'ACLED: ' + types[slug].acled;
      box.appendChild(line);
    });
    box.appendChild(el('strong', 'How precisely the place is known'));
    [['', 'exact place (size: fatalities)'], ['area', 'area, county or province: circle of uncertainty'],
     ['band', 'one side of the Iran–Pakistan border']].forEach(function (p) {
      var line = el('div');
      var sw = el('i', null, p[0]);
      if (!p[0]) sw.style.background = '#888';
      line.appendChild(sw);
      line.appendChild(document.createTextNode(p[1]));
      box.appendChild(line);
    });
    box.appendChild(el('div', 'Known only to a country: listed in the panel, not drawn.', 'sub'));
    return box;
  };
  legend.addTo(map);
}
"""
