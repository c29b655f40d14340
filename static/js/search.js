// The search map: the same filters as the list (it reads the page's query string), clustered markers,
// district outlines, the user's point and radius. django-leaflet makes the map (tiles, zoom limits: one
// place, settings.LEAFLET_CONFIG) and calls portalSearchMap; popups come from map.js (textContent only).
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

  window.portalSearchMap = function (map) {
    var element = map.getContainer();
    var form = document.getElementById("search-form");
    var config = JSON.parse(document.getElementById("search-config").textContent);
    map.scrollWheelZoom.disable();
    element.dataset.markers = "loading";

    fetch(config.districts).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, { interactive: false, style: { color: "#12436d", weight: 1, fillOpacity: 0.04 } }).addTo(map);
    });

    var query = window.location.search.replace(/^\?/, "").replace(/(^|&)page=[^&]*/g, "");
    var circle = null;
    if (config.point) {
      var centre = [config.point.lat, config.point.lng];
      L.circleMarker(centre, { radius: 6, color: "#d4351c", fillOpacity: 1 }).addTo(map);
      circle = L.circle(centre, { radius: config.radius_km * 1000, color: "#d4351c", weight: 1, fillOpacity: 0.05 }).addTo(map);
    }
    window.portalHubs(map, config.geojson + "?" + query, {
      // Few hubs in view: grouped in the browser; many: the server sends clusters (map.js).
      group: function () { return L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : null; },
      bounds: function () { return circle ? circle.getBounds() : null; },
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
          function () { locate.disabled = false; locate.textContent = JSON.parse(document.getElementById("ui-labels").textContent).no_position; },
          { timeout: 10000 }
        );
      });
    }
  };
})();
