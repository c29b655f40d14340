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

  function popupFor(properties, labels) {
    var box = document.createElement("div");
    box.appendChild(line("strong", properties.name));
    if (properties.kind) box.appendChild(line("div", properties.kind));
    if (properties.address) box.appendChild(line("div", properties.address, "popup-address"));
    if (properties.url) {
      var link = line("a", labels.more || properties.name);
      link.href = properties.url;
      box.appendChild(link);
    }
    return box;
  }

  window.portalMapInit = function (map) {
    var source = document.getElementById(map.getContainer().id + "-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var labels = data.labels || {};
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 8, weight: 2, color: "#12436d", fillColor: "#28a197", fillOpacity: 0.9 });
      },
      style: function () {
        return { color: "#12436d", weight: 1, fillOpacity: 0.1 };
      },
      onEachFeature: function (feature, featureLayer) {
        if (feature.geometry.type === "Point") featureLayer.bindPopup(popupFor(feature.properties, labels));
      },
    }).addTo(map);
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [24, 24] });
    map.getContainer().dataset.markers = String(layer.getLayers().length);
  };
})();
