// The search map: the same filters as the list (it reads the page's query string), clustered markers,
// district outlines, the user's point and radius. Popups come from map.js (DOM nodes, textContent only).
(function () {
  "use strict";

  function submitWith(form, values) {
    Object.keys(values).forEach(function (name) {
      var input = form.elements[name];
      if (input) input.value = values[name];
    });
    if (form.elements.page) form.elements.page.value = "";
    form.submit();
  }

  function init() {
    var element = document.getElementById("search-map");
    var form = document.getElementById("search-form");
    if (!element || !window.L || !form) return;
    var config = JSON.parse(document.getElementById("search-config").textContent);
    var map = L.map(element, { scrollWheelZoom: false, maxZoom: 18 }).setView([48.11, -1.68], 12);
    if (config.tiles) L.tileLayer(config.tiles, { attribution: config.attribution }).addTo(map);
    element.dataset.markers = "loading";

    fetch(config.districts).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, { interactive: false, style: { color: "#12436d", weight: 1, fillOpacity: 0.04 } }).addTo(map);
    });

    var query = window.location.search.replace(/^\?/, "").replace(/(^|&)page=[^&]*/g, "");
    fetch(config.geojson + "?" + query).then(function (r) { return r.json(); }).then(function (data) {
      var cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.featureGroup();
      var points = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: 9, weight: 2, color: "#12436d", fillOpacity: 0.9,
            fillColor: feature.properties.open ? "#28a197" : "#b1b4b6",
          });
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(window.portalPopup(feature, data)); },
      });
      cluster.addLayer(points);
      map.addLayer(cluster);
      element.dataset.markers = String(points.getLayers().length);
      var bounds = points.getLayers().length ? points.getBounds() : null;
      if (config.point) {
        var centre = [config.point.lat, config.point.lng];
        L.circleMarker(centre, { radius: 6, color: "#d4351c", fillOpacity: 1 }).addTo(map);
        var circle = L.circle(centre, { radius: config.radius_km * 1000, color: "#d4351c", weight: 1, fillOpacity: 0.05 }).addTo(map);
        bounds = circle.getBounds();
      }
      if (bounds) map.fitBounds(bounds, { maxZoom: 15, padding: [20, 20], animate: false });
    });

    // Enhancements that need JavaScript: shown only now.
    var hint = document.getElementById("map-hint");
    hint.hidden = false;
    map.on("click", function (event) {
      submitWith(form, { lat: event.latlng.lat.toFixed(5), lng: event.latlng.lng.toFixed(5), around: "", bbox: "", sort: "distance" });
    });
    var area = document.getElementById("search-area");
    area.hidden = false;
    area.addEventListener("click", function () {
      var b = map.getBounds();
      var box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); });
      submitWith(form, { bbox: box.join(","), lat: "", lng: "", around: "" });
    });
    var locate = document.getElementById("locate-me");
    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        locate.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            submitWith(form, {
              lat: position.coords.latitude.toFixed(5), lng: position.coords.longitude.toFixed(5),
              around: "", bbox: "", sort: "distance",
            });
          },
          function () { locate.disabled = false; locate.textContent = "Position indisponible"; },
          { timeout: 10000 }
        );
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
