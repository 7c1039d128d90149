/* The incident map's page script.  It reads the data JSON once and draws everything
 * from it: clustered points (Supercluster), circles of uncertainty, border bands, an
 * optional heat layer, and the panels.  Every piece of text from an article is put in
 * with textContent, never parsed as HTML. */
function geoMap(map, data) {
  'use strict';
  var C = data.cols, N = data.n;
  // Day ranges: start and length (one number when every incident has the same length).
  C.d1 = C.d0.map(function (d, i) { return d < 0 ? -1 : d + (typeof C.dd === 'number' ? C.dd : C.dd[i]); });
  var DT = data.details;
  // The popups' fields are columns: text as a table of distinct strings and indexes.
  // A column that is the same for every incident is sent once, as a single index or number.
  function at(column, i) { return typeof column === 'number' ? column : column[i]; }
  function text(col, i) { var k = at(DT[col].i, i); return k < 0 ? null : DT[col].v[k]; }
  function str(col, k) { var j = at(col.i, k); return j < 0 ? null : col.v[j]; }
  function num(col, i) { var v = at(DT[col], i); return v < 0 ? null : v; }
  // Where each incident's sources, and each source's quotes, begin (from their counts).
  var S = DT.sources;
  function starts(counts, n) {
    var out = new Array(n + 1);
    out[0] = 0;
    for (var k = 0; k < n; k++) out[k + 1] = out[k] + (typeof counts === 'number' ? counts : counts[k]);
    return out;
  }
  var sFirst = starts(S.count, N);
  var qFirst = starts(S.qcount, sFirst[N]);
  function detail(i) {
    var x = {};
    ['date_precision', 'place_text', 'place_name', 'place_reason', 'country', 'admin1', 'admin2',
     'precision_label', 'perpetrator_attribution', 'target', 'fatalities_note', 'injured_note', 'notes']
      .forEach(function (c) { x[c] = text(c, i); });
    ['fatalities_best', 'fatalities_low', 'fatalities_high', 'attackers_killed', 'injured']
      .forEach(function (c) { x[c] = num(c, i); });
    x.date = C.d0[i] < 0 ? null : dayToIso(C.d0[i]).slice(0, {year: 4, month: 7}[x.date_precision] || 10);
    x.location_precision = C.p[i] > 0 ? C.p[i] : null;
    x.uncertainty_km = C.u[i] > 0 ? C.u[i] : null;
    x.perpetrator = C.a[i] < 0 ? null : actors[C.a[i]];
    x.sources = [];
    for (var k = sFirst[i]; k < sFirst[i + 1]; k++) {
      var quotes = [];
      for (var q = qFirst[k]; q < qFirst[k + 1]; q++) {
        var qt = str(S.qtext, q);
        quotes.push({text: qt, start: S.qstart[q], end: S.qstart[q] + qt.length});
      }
      x.sources.push({article: str(S.article, k), title: str(S.title, k), publisher: str(S.publisher, k),
        publication_date: str(S.date, k), url: str(S.url, k), quotes: quotes});
    }
    return x;
  }
  var types = data.types, actors = data.actors;
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var ACTOR_COLOURS = ['#e41a1c', '#377eb8', '#4daf4a', '#984ea3', '#ff7f00', '#a65628', '#f781bf', '#999999'];
  var state = {types: {}, from: data.dayMin, to: data.dayMax, colourBy: 'type', heat: false};
  types.forEach(function (t) { state.types[t.slug] = true; });
  map.fitBounds(data.bounds, {animate: false});

  // -- small helpers ------------------------------------------------------------------------
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
  function dayToIso(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }
  function isoToDay(s) { var t = Date.parse(s + 'T00:00:00Z'); return isNaN(t) ? null : Math.floor(t / 86400000); }
  function fmtDate(d, prec) {
    if (!d) return 'unknown';
    var p = d.split('-');
    if (prec === 'year') return p[0] + ' (year only)';
    if (prec === 'month') return MONTHS[+p[1] - 1] + ' ' + p[0] + ' (month only)';
    if (prec === 'week') return 'week of ' + (+p[2]) + ' ' + MONTHS[+p[1] - 1] + ' ' + p[0];
    return (+p[2]) + ' ' + MONTHS[+p[1] - 1] + ' ' + p[0];
  }
  function colourOf(i) {
    if (state.colourBy === 'actor') return C.a[i] < 0 ? '#777777' : ACTOR_COLOURS[Math.min(C.a[i], ACTOR_COLOURS.length - 1)];
    return types[C.t[i]].colour;
  }
  function radiusFor(i) { return Math.min(26, 5 + 3 * Math.sqrt(Math.max(0, C.f[i]))); }

  // -- popups -------------------------------------------------------------------------------
  function row(dl, term, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', term));
    dl.appendChild(el('dd', value));
  }
  function fatalText(x) {
    var b = x.fatalities_best, lo = x.fatalities_low, hi = x.fatalities_high;
    if (b === null && lo === null && hi === null) return 'not reported';
    var range = [];
    if (lo !== null) range.push('low ' + lo);
    if (hi !== null) range.push('high ' + hi);
    return (b !== null ? String(b) : 'unknown') + (range.length ? ' (' + range.join(', ') + ')' : '');
  }
  function popupFor(i) {
    var x = detail(i);
    var box = el('div', null, 'geo-popup');
    box.appendChild(el('h3', types[C.t[i]].label));
    var dl = el('dl');
    row(dl, 'Date', fmtDate(x.date, x.date_precision));
    row(dl, 'Place (as written)', x.place_text);
    var where = [x.place_name, x.admin2 !== x.place_name ? x.admin2 : null, x.admin1, x.country]
      .filter(function (v) { return v; }).join(', ');
    row(dl, 'Resolved to', where || 'not located');
    if (x.location_precision !== null) {
      row(dl, 'Precision', x.location_precision + ' – ' + x.precision_label +
        (x.uncertainty_km ? ' (±' + x.uncertainty_km + ' km)' : ''));
    }
    row(dl, 'How resolved', x.place_reason);
    if (x.perpetrator) row(dl, 'Perpetrator', x.perpetrator + (x.perpetrator_attribution ? ' (' + x.perpetrator_attribution + ')' : ''));
    row(dl, 'Target', x.target);
    row(dl, 'Fatalities', fatalText(x));
    row(dl, 'Fatalities note', x.fatalities_note);
    row(dl, 'Attackers killed', x.attackers_killed);
    row(dl, 'Injured', x.injured !== null ? x.injured : x.injured_note);
    row(dl, 'Notes', x.notes);
    box.appendChild(dl);
    (x.sources || []).forEach(function (s, k) {
      var src = el('div', null, 'src');
      var head = el('div');
      var name = s.title || s.publisher || ('article ' + s.article);
      var url = s.url ? safeUrl(s.url) : null;
      var label = el(url ? 'a' : 'strong', 'Source ' + (k + 1) + ': ' + name);
      if (url) { label.href = url; label.target = '_blank'; label.rel = 'noopener noreferrer'; }
      head.appendChild(label);
      var meta = [s.publisher && s.title ? s.publisher : null, s.publication_date].filter(function (v) { return v; });
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
  function popupForMany(list) {
    if (list.length === 1) return popupFor(list[0]);
    var box = el('div', null, 'geo-popup-group');
    box.appendChild(el('div', list.length + ' incidents at this place', 'geo-group-head'));
    list.slice(0, 50).forEach(function (i, k) {
      if (k) box.appendChild(el('hr'));
      box.appendChild(popupFor(i));
    });
    if (list.length > 50) box.appendChild(el('div', '… and ' + (list.length - 50) + ' more (zoom in, or narrow the dates)', 'sub'));
    return box;
  }

  // -- which incidents are shown -------------------------------------------------------------
  var visible = {points: [], strips: [], listed: [], all: []};
  var index = null;
  function passes(i) {
    if (!state.types[types[C.t[i]].slug]) return false;
    var full = state.from <= data.dayMin && state.to >= data.dayMax;
    if (C.d0[i] < 0) return full;  // undated: only while the whole range is shown
    return C.d1[i] >= state.from && C.d0[i] <= state.to;
  }
  function applyFilter() {
    visible = {points: [], strips: [], listed: [], all: []};
    for (var i = 0; i < N; i++) {
      if (!passes(i)) continue;
      visible.all.push(i);
      if (C.lat[i] === null || C.p[i] >= 6) visible.listed.push(i);
      else if (C.strip[i]) visible.strips.push(i);
      else visible.points.push(i);
    }
    var features = visible.points.map(function (i) {
      return {type: 'Feature', properties: {i: i}, geometry: {type: 'Point', coordinates: [C.lon[i], C.lat[i]]}};
    });
    index = new Supercluster({radius: 48, maxZoom: 12, minPoints: 2});
    index.load(features);
  }

  // -- drawing ------------------------------------------------------------------------------
  var pointLayer = L.layerGroup().addTo(map);
  var bandLayer = L.layerGroup().addTo(map);
  var heatLayer = null;
  var shown = {clusters: 0, clustered: 0, points: 0};
  function draw() {
    pointLayer.clearLayers();
    shown = {clusters: 0, clustered: 0, points: 0};
    if (!index) return;
    var b = map.getBounds();
    var zoom = Math.round(map.getZoom());
    var found = index.getClusters([b.getWest() - 1, b.getSouth() - 1, b.getEast() + 1, b.getNorth() + 1], zoom);
    found.forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      if (f.properties.cluster) {
        var n = f.properties.point_count;
        var size = Math.round(22 + 8 * Math.log10(n));
        var icon = L.divIcon({html: '', className: 'geo-cluster', iconSize: [size, size]});
        var m = L.marker(ll, {icon: icon, keyboard: false});
        m.on('add', function () { if (m._icon) m._icon.textContent = String(n); });
        m.on('click', function () {
          var next = index.getClusterExpansionZoom(f.properties.cluster_id);
          if (next > 12 || zoom >= 12) {
            var leaves = index.getLeaves(f.properties.cluster_id, Infinity).map(function (x) { return x.properties.i; });
            L.popup({maxWidth: 380, maxHeight: 420}).setLatLng(ll).setContent(popupForMany(leaves)).openOn(map);
          } else {
            map.setView(ll, next);
          }
        });
        m.addTo(pointLayer);
        shown.clusters += 1;
        shown.clustered += n;
        return;
      }
      var i = f.properties.i;
      var colour = colourOf(i);
      if (C.p[i] >= 2 && C.p[i] <= 4 && C.u[i] > 0) {
        L.circle(ll, {radius: C.u[i] * 1000, color: colour, weight: 2, dashArray: '6 5', fillColor: colour,
          fillOpacity: 0.08, interactive: false}).addTo(pointLayer);
        L.circleMarker(ll, {radius: radiusFor(i), color: colour, weight: 3, fillColor: '#ffffff', fillOpacity: 0.9})
          .bindPopup(function () { return popupFor(i); }, {maxWidth: 380, maxHeight: 420}).addTo(pointLayer);
      } else {
        L.circleMarker(ll, {radius: radiusFor(i), color: '#222', weight: 1, fillColor: colour, fillOpacity: 0.85})
          .bindPopup(function () { return popupFor(i); }, {maxWidth: 380, maxHeight: 420}).addTo(pointLayer);
      }
      shown.points += 1;
    });
    publish();
  }
  function drawBands() {
    bandLayer.clearLayers();
    var byColour = {};
    visible.strips.forEach(function (i) { (byColour[colourOf(i)] = byColour[colourOf(i)] || []).push(i); });
    Object.keys(byColour).forEach(function (colour) {
      var list = byColour[colour];
      L.polyline(data.border, {color: colour, weight: 16, opacity: 0.35})
        .bindPopup(function () { return popupForMany(list); }, {maxWidth: 380, maxHeight: 420})
        .addTo(bandLayer);
    });
  }
  function drawHeat() {
    if (heatLayer) { map.removeLayer(heatLayer); heatLayer = null; }
    if (!state.heat || typeof L.heatLayer !== 'function') return;
    heatLayer = L.heatLayer(visible.points.map(function (i) { return [C.lat[i], C.lon[i], 1 + Math.max(0, C.f[i])]; }),
      {radius: 22, blur: 18, maxZoom: 10}).addTo(map);
  }
  function refresh() {
    applyFilter();
    drawBands();
    drawHeat();
    draw();
    renderSummary();
    renderToggles();
  }
  map.on('moveend', draw);

  // -- what the tests (and curious users) can read ---------------------------------------------
  function publish() {
    window.geoIncidentCounts = {
      total: N,
      visible: visible.all.length,
      drawn: shown.points + shown.clustered + visible.strips.length,
      clusters: shown.clusters,
      points: shown.points,
      strips: visible.strips.length,
      listed: visible.listed.length,
      byType: countBy(function (i) { return types[C.t[i]].slug; })
    };
  }
  function countBy(key) {
    var out = {};
    visible.all.forEach(function (i) { var k = key(i); out[k] = (out[k] || 0) + 1; });
    return out;
  }

  // -- panels -------------------------------------------------------------------------------
  var summaryBox = el('div', null, 'geo-panel geo-summary');
  function renderSummary() {
    var box = summaryBox;
    box.textContent = '';
    box.appendChild(el('h1', data.title));
    if (data.subtitle) box.appendChild(el('div', data.subtitle, 'sub'));
    var days = visible.all.filter(function (i) { return C.d0[i] >= 0; });
    var lo = Infinity, hi = -Infinity, deaths = 0, unknown = 0;
    days.forEach(function (i) { lo = Math.min(lo, C.d0[i]); hi = Math.max(hi, C.d1[i]); });
    visible.all.forEach(function (i) { if (C.f[i] >= 0) deaths += C.f[i]; else unknown += 1; });
    box.appendChild(el('div', visible.all.length + ' of ' + N + ' incidents' +
      (days.length ? ', ' + dayToIso(lo) + ' to ' + dayToIso(hi) : ''), 'geo-count'));
    box.appendChild(el('div', deaths + ' deaths (best estimates)' + (unknown ? '; ' + unknown + ' without a count' : ''), 'geo-deaths'));
    var byType = countBy(function (i) { return C.t[i]; });
    var byCountry = countBy(function (i) { return C.c[i] < 0 ? 'unlocated' : data.countries[C.c[i]]; });
    var t1 = el('table', null, 'geo-by-type');
    Object.keys(byType).sort(function (a, b) { return byType[b] - byType[a]; }).forEach(function (k) {
      var tr = el('tr');
      tr.appendChild(el('td', byType[k]));
      tr.appendChild(el('td', types[+k].label));
      t1.appendChild(tr);
    });
    box.appendChild(el('h2', 'By type'));
    box.appendChild(t1);
    box.appendChild(el('h2', 'By country'));
    box.appendChild(el('div', Object.keys(byCountry).sort().map(function (k) { return k + ' ' + byCountry[k]; }).join(' · '), 'geo-by-country'));
    var filters = [];
    var off = types.filter(function (t) { return !state.types[t.slug]; }).map(function (t) { return t.label; });
    if (off.length) filters.push('hidden: ' + off.join(', '));
    if (state.from > data.dayMin || state.to < data.dayMax) filters.push('dates ' + dayToIso(state.from) + ' to ' + dayToIso(state.to));
    box.appendChild(el('div', 'Filters on the page: ' + (filters.length ? filters.join('; ') : 'none'), 'sub geo-filters'));
    if (visible.listed.length) {
      box.appendChild(el('div', 'Not drawn (known only to a country, or unlocated):', 'sub'));
      var ul = el('ul', null, 'geo-list');
      visible.listed.slice(0, 50).forEach(function (i) {
        var li = el('li');
        var x = detail(i);
        var b = el('button', fmtDate(x.date, x.date_precision) + ' — ' + types[C.t[i]].label + ' — ' + (x.place_name || x.place_text || 'unlocated'));
        b.onclick = function () {
          var at = C.lat[i] !== null ? [C.lat[i], C.lon[i]] : map.getCenter();
          L.popup({maxWidth: 380, maxHeight: 420}).setLatLng(at).setContent(popupFor(i)).openOn(map);
        };
        li.appendChild(b);
        ul.appendChild(li);
      });
      if (visible.listed.length > 50) ul.appendChild(el('li', '… and ' + (visible.listed.length - 50) + ' more'));
      box.appendChild(ul);
    }
  }
  var summary = L.control({position: 'topright'});
  summary.onAdd = function () {
    L.DomEvent.disableClickPropagation(summaryBox);
    L.DomEvent.disableScrollPropagation(summaryBox);
    return summaryBox;
  };

  var toggleBox = el('div', null, 'geo-panel geo-legend');
  function renderToggles() {
    var box = toggleBox;
    box.textContent = '';
    box.appendChild(el('h2', 'Event types (click to show or hide)'));
    var all = {};
    for (var i = 0; i < N; i++) all[C.t[i]] = (all[C.t[i]] || 0) + 1;
    types.forEach(function (t, k) {
      if (!all[k]) return;
      var label = el('label');
      var cb = el('input');
      cb.type = 'checkbox';
      cb.checked = state.types[t.slug];
      cb.dataset.type = t.slug;
      cb.onchange = function () { state.types[t.slug] = cb.checked; refresh(); };
      label.appendChild(cb);
      var sw = el('span', null, 'geo-swatch');
      sw.style.background = state.colourBy === 'type' ? t.colour : '#888';
      label.appendChild(sw);
      label.appendChild(document.createTextNode(t.label + ' (' + all[k] + ')'));
      label.title = 'ACLED: ' + t.acled;
      box.appendChild(label);
    });
    box.appendChild(el('h2', 'Colour by'));
    ['type', 'actor'].forEach(function (mode) {
      var label = el('label');
      var rb = el('input');
      rb.type = 'radio';
      rb.name = 'geo-colour';
      rb.value = mode;
      rb.checked = state.colourBy === mode;
      rb.onchange = function () { state.colourBy = mode; refresh(); };
      label.appendChild(rb);
      label.appendChild(document.createTextNode(mode === 'type' ? 'event type' : 'perpetrator'));
      box.appendChild(label);
    });
    if (state.colourBy === 'actor') {
      actors.slice(0, ACTOR_COLOURS.length - 1).forEach(function (name, k) {
        var line = el('div');
        var sw = el('span', null, 'geo-swatch');
        sw.style.background = ACTOR_COLOURS[k];
        line.appendChild(sw);
        line.appendChild(document.createTextNode(name));
        box.appendChild(line);
      });
      var other = el('div');
      var swo = el('span', null, 'geo-swatch');
      swo.style.background = '#777777';
      other.appendChild(swo);
      other.appendChild(document.createTextNode('others, or not known'));
      box.appendChild(other);
    }
    var heat = el('label');
    var hb = el('input');
    hb.type = 'checkbox';
    hb.checked = state.heat;
    hb.className = 'geo-heat';
    hb.disabled = typeof L.heatLayer !== 'function';
    hb.onchange = function () { state.heat = hb.checked; drawHeat(); };
    heat.appendChild(hb);
    heat.appendChild(document.createTextNode('heat layer'));
    box.appendChild(heat);
    box.appendChild(el('h2', 'How precisely the place is known'));
    [['', 'exact place (size: fatalities)'], ['area', 'area, county or province: circle of uncertainty'],
     ['band', 'one side of the Iran–Pakistan border']].forEach(function (p) {
      var line = el('div');
      var sw = el('span', null, 'geo-swatch ' + p[0]);
      if (!p[0]) sw.style.background = '#888';
      line.appendChild(sw);
      line.appendChild(document.createTextNode(p[1]));
      box.appendChild(line);
    });
    box.appendChild(el('div', 'Numbered circles are clusters: click to open them. Known only to a country: listed in the panel.', 'sub'));
  }
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    L.DomEvent.disableClickPropagation(toggleBox);
    L.DomEvent.disableScrollPropagation(toggleBox);
    return toggleBox;
  };

  var timeBox = el('div', null, 'geo-panel geo-time');
  var timeControl = L.control({position: 'topleft'});
  timeControl.onAdd = function () {
    timeBox.appendChild(el('h2', 'Dates shown'));
    var from = el('input');
    from.type = 'date';
    from.className = 'geo-from';
    var to = el('input');
    to.type = 'date';
    to.className = 'geo-to';
    [from, to].forEach(function (inp) { inp.min = dayToIso(data.dayMin); inp.max = dayToIso(data.dayMax); });
    from.value = dayToIso(state.from);
    to.value = dayToIso(state.to);
    function change() {
      var a = isoToDay(from.value), b = isoToDay(to.value);
      state.from = a === null ? data.dayMin : a;
      state.to = b === null ? data.dayMax : b;
      refresh();
    }
    from.onchange = change;
    to.onchange = change;
    timeBox.appendChild(from);
    timeBox.appendChild(document.createTextNode(' to '));
    timeBox.appendChild(to);
    var reset = el('button', 'all dates');
    reset.onclick = function () { from.value = dayToIso(data.dayMin); to.value = dayToIso(data.dayMax); change(); };
    timeBox.appendChild(document.createTextNode(' '));
    timeBox.appendChild(reset);
    timeBox.appendChild(el('div', 'Undated incidents show with all dates only.', 'sub'));
    L.DomEvent.disableClickPropagation(timeBox);
    return timeBox;
  };

  var searchControl = L.control({position: 'topleft'});
  searchControl.onAdd = function () {
    var box = el('div', null, 'geo-panel geo-search');
    var input = el('input');
    input.type = 'search';
    input.placeholder = 'Find a place (gazetteer)';
    input.setAttribute('list', 'geo-places');
    var list = el('datalist');
    list.id = 'geo-places';
    var byName = {};
    data.places.forEach(function (p) {
      p[4].forEach(function (name) {
        var key = name.toLowerCase();
        if (byName[key]) return;
        byName[key] = p;
        var opt = el('option');
        opt.value = name;
        list.appendChild(opt);
      });
    });
    input.onchange = function () {
      var p = byName[input.value.trim().toLowerCase()];
      if (!p) return;
      var zoom = {country: 5, province: 7, county: 9, district: 9, region: 7, subdistrict: 10}[p[3]] || 11;
      map.setView([p[1], p[2]], zoom);
      L.popup().setLatLng([p[1], p[2]]).setContent(el('div', p[0] + ' (' + p[3].replace('_', ' ') + ')')).openOn(map);
    };
    box.appendChild(input);
    box.appendChild(list);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };

  // -- the query of geo near --map --------------------------------------------------------------
  if (data.query) {
    var q = data.query;
    var circle = L.circle([q.lat, q.lon], {radius: q.radius_km * 1000, color: '#000', weight: 2, dashArray: '8 6', fill: false, interactive: false});
    circle.addTo(map);
    L.circleMarker([q.lat, q.lon], {radius: 6, color: '#000', weight: 2, fillColor: '#fff', fillOpacity: 1})
      .bindTooltip(q.label + ' — ' + q.radius_km + ' km').addTo(map);
    map.fitBounds(circle.getBounds(), {animate: false, padding: [20, 20]});
  }

  // -- province labels ------------------------------------------------------------------------
  (data.labels || []).forEach(function (lab) {
    L.marker([lab[1], lab[2]], {icon: L.divIcon({className: 'geo-province-label', html: '', iconSize: null}), interactive: false, keyboard: false})
      .on('add', function (e) { if (e.target._icon) e.target._icon.textContent = lab[0]; })
      .addTo(map);
  });

  map.attributionControl.addAttribution('Boundaries: Natural Earth (public domain)');
  summary.addTo(map);
  legend.addTo(map);
  searchControl.addTo(map);
  timeControl.addTo(map);
  refresh();
  window.geoMapState = {state: state, refresh: refresh, map: map};
}

/* Unzip the page's data (base64 of gzipped JSON) and draw the map. */
function geoLoad(map, element) {
  'use strict';
  var binary = atob(element.textContent.trim());
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  new Response(stream).text().then(function (text) { geoMap(map, JSON.parse(text)); });
}
