// Map layers from GeoJSON, embedded with json_script or fetched from /hubs/map.geojson. Popups are DOM
// nodes filled with textContent, never HTML strings, so a hub named "<script>" stays text.
(function () {
  "use strict";

  // The page's own words (templates/base.html, end of the body), in its language.
  function labels() {
    return JSON.parse(document.getElementById("ui-labels").textContent);
  }

  function line(tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  // Two shapes of data: embedded features with a label and url each, or the compact
  // /hubs/map.geojson with kind codes and one link pattern for the collection.
  function popupFor(feature, data) {
    var properties = feature.properties;
    var box = document.createElement("div");
    box.appendChild(line("strong", properties.name));
    var kind = data.kinds ? data.kinds[properties.kind] : properties.kind;
    if (kind) box.appendChild(line("div", kind));
    if (properties.open !== undefined || data.kinds) {
      box.appendChild(properties.open
        ? line("div", labels().open, "badge badge-open")
        : line("div", labels().closed, "badge badge-closed"));
    }
    var url = properties.url || (data.url && data.url.replace("{id}", String(feature.id)));
    if (url) {
      var link = line("a", labels().details);
      link.href = url;
      box.appendChild(link);
    }
    return box;
  }

  function isCluster(feature) {
    return feature.properties.count !== undefined;
  }

  // A server cluster: a disc sized by its count, the count as text; a click zooms in on it.
  function clusterMarker(feature, latlng, map) {
    var count = feature.properties.count;
    var marker = L.circleMarker(latlng, {
      radius: Math.min(10 + Math.log(count) * 3, 30), weight: 2, color: "#12436d", fillColor: "#28a197", fillOpacity: 0.8,
    });
    marker.bindTooltip(line("span", String(count) + " lieux"), { permanent: true, direction: "center", className: "cluster-count" });
    marker.on("click", function () { map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom())); });
    return marker;
  }

  // A public transport stop: a small white disc, told apart from the hubs (green when open, grey when closed).
  function stopMarker(latlng) {
    return L.circleMarker(latlng, { radius: 5, weight: 2, color: "#0b0c0c", fillColor: "#ffffff", fillOpacity: 1 });
  }

  function hubMarker(feature, latlng) {
    if (feature.properties.stop) return stopMarker(latlng);
    return L.circleMarker(latlng, {
      radius: 8, weight: 2, color: "#12436d", fillOpacity: 0.9,
      fillColor: feature.properties.open ? "#28a197" : "#b1b4b6",
    });
  }

  // Hubs and clusters as one layer; `group` gathers the single hubs (a marker-cluster group on the search map).
  function hubLayer(data, map, group) {
    var clusters = L.featureGroup();
    var points = L.geoJSON(data, {
      filter: function (feature) { return !isCluster(feature); },
      pointToLayer: hubMarker,
      style: function () { return { color: "#12436d", weight: 1, fillOpacity: 0.1 }; },
      onEachFeature: function (feature, featureLayer) {
        if (feature.geometry.type === "Point") featureLayer.bindPopup(popupFor(feature, data));
      },
    });
    L.geoJSON(data, {
      filter: isCluster,
      pointToLayer: function (feature, latlng) { return clusterMarker(feature, latlng, map); },
    }).eachLayer(function (marker) { clusters.addLayer(marker); });
    if (group) group.addLayer(points);
    return { points: points, clusters: clusters, all: L.featureGroup([group || points, clusters]) };
  }

  // Fetch hubs for the map; when the server answers with clusters (many hubs in view), fetch again
  // for the new view each time the map moves, so zooming in brings single hubs.
  window.portalHubs = function (map, url, options) {
    options = options || {};
    var shown = null, following = false, first = true, loads = 0;
    var element = map.getContainer();
    function load(view) {
      var query = view ? "bbox=" + view.bbox + "&zoom=" + view.zoom : "";
      var address = url + (query ? (url.indexOf("?") === -1 ? "?" : "&") + query : "");
      return fetch(address).then(function (response) { return response.json(); }).then(function (data) {
        if (shown) map.removeLayer(shown.all);
        shown = hubLayer(data, map, options.group ? options.group() : null);
        shown.all.addTo(map);
        following = following || Boolean(data.clustered);
        var hubs = shown.points.getLayers().length;
        element.dataset.markers = String(hubs);
        element.dataset.clusters = String(shown.clusters.getLayers().length);
        element.dataset.hubs = String(data.features.reduce(function (sum, f) { return sum + (f.properties.count || 1); }, 0));
        loads += 1;
        element.dataset.loads = String(loads);  // lets a test know which answer is on screen
        if (first) {
          first = false;
          var bounds = options.bounds ? options.bounds() : null;
          if (!bounds && shown.all.getLayers().length) bounds = shown.all.getBounds();
          if (bounds && bounds.isValid()) map.fitBounds(bounds, { maxZoom: 15, padding: [24, 24], animate: false });
        }
        return data;
      });
    }
    map.on("moveend", function () {
      if (!following) return;
      var b = map.getBounds();
      var box = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)];
      load({ bbox: box.map(function (v) { return v.toFixed(4); }).join(","), zoom: map.getZoom() });
    });
    return load(null);
  };

  // Shared with the search map (search.js), so both build popups the same safe way.
  window.portalPopup = popupFor;

  // Maps of includes/_map.html: embedded GeoJSON, or {"source": url} to fetch.
  window.portalMapInit = function (map) {
    var source = document.getElementById(map.getContainer().id + "-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    map.scrollWheelZoom.disable();
    if (data.source) {
      window.portalHubs(map, data.source);
      return;
    }
    var shown = hubLayer(data, map, null);
    shown.all.addTo(map);
    if (shown.all.getLayers().length) map.fitBounds(shown.all.getBounds(), { maxZoom: 15, padding: [24, 24], animate: false });
    // Hubs and public transport stops counted apart (a test reads them).
    var stops = data.features.filter(function (f) { return f.properties.stop; }).length;
    map.getContainer().dataset.markers = String(shown.points.getLayers().length - stops);
    map.getContainer().dataset.stops = String(stops);
  };

  // Line badges marked with the feed's colour (templates/includes/_transit.html): set here because the CSP allows
  // no inline style. A stripe, not the badge's background: feed colour pairs often fail text contrast (yellow
  // and red), and the line's name says it all without colour or script.
  function paintLines() {
    document.querySelectorAll(".line-badge[data-colour]").forEach(function (badge) {
      if (/^[0-9A-F]{6}$/.test(badge.dataset.colour)) badge.style.borderLeftColor = "#" + badge.dataset.colour;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", paintLines);
  else paintLines();
})();
