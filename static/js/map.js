// Map layers from GeoJSON embedded with json_script. Popups are DOM nodes filled with
// textContent, never HTML strings, so a hub named "<script>" stays text.
(function () {
  "use strict";

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
        ? line("div", "Ouvert maintenant", "badge badge-open")
        : line("div", "Fermé maintenant", "badge badge-closed"));
    }
    var url = properties.url || (data.url && data.url.replace("{id}", String(feature.id)));
    if (url) {
      var link = line("a", "Voir la fiche");
      link.href = url;
      box.appendChild(link);
    }
    return box;
  }

  // Shared with the search map (search.js), so both build popups the same safe way.
  window.portalPopup = popupFor;

  window.portalMapInit = function (map) {
    var source = document.getElementById(map.getContainer().id + "-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (data.source) {
      fetch(data.source).then(function (response) { return response.json(); }).then(function (fetched) { show(map, fetched); });
    } else {
      show(map, data);
    }
  };

  function show(map, data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 8, weight: 2, color: "#12436d", fillColor: "#28a197", fillOpacity: 0.9 });
      },
      style: function () {
        return { color: "#12436d", weight: 1, fillOpacity: 0.1 };
      },
      onEachFeature: function (feature, featureLayer) {
        if (feature.geometry.type === "Point") featureLayer.bindPopup(popupFor(feature, data));
      },
    }).addTo(map);
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [24, 24], animate: false });
    map.getContainer().dataset.markers = String(layer.getLayers().length);
  }
})();
