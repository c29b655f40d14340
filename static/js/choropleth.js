// District outlines coloured by GP density. The table on the page carries the same figures as text.
// django-leaflet makes the map (settings.LEAFLET_CONFIG) and calls portalChoropleth.
(function () {
  "use strict";

  function colourFor(value, classes, noData) {
    if (value === null || value === undefined) return noData;
    for (var i = 0; i < classes.length; i++) {
      var low = classes[i][0], high = classes[i][1];
      if ((low === null || value >= low) && (high === null || value < high)) return classes[i][2];
    }
    return noData;
  }

  function label(properties) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.name;
    box.appendChild(title);
    var figure = document.createElement("div");
    figure.textContent = properties.gp_official === null
      ? "—"
      : String(properties.gp_official).replace(".", ",") + " / 10 000 (" + properties.gp_official_source + ")";
    box.appendChild(figure);
    return box;
  }

  window.portalChoropleth = function (map) {
    var element = map.getContainer();
    var config = JSON.parse(document.getElementById("choropleth-config").textContent);
    var classes = config.classes;
    map.scrollWheelZoom.disable();
    fetch(config.source, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (feature) {
            return {
              color: "#222", weight: feature.properties.priority_area ? 2.5 : 1,
              fillColor: colourFor(feature.properties.gp_official, classes, config.no_data),
              fillOpacity: 0.75,
            };
          },
          onEachFeature: function (feature, featureLayer) {
            featureLayer.bindTooltip(label(feature.properties), { sticky: true });
            featureLayer.on("click", function () { window.location.href = feature.properties.url; });
          },
        }).addTo(map);
        // Cities are far apart: one button per city, starting on the one with the most official figures.
        var groups = {};
        layer.getLayers().forEach(function (l) {
          var name = l.feature.properties.parent;
          groups[name] = groups[name] || { layers: [], figures: 0 };
          groups[name].layers.push(l);
          if (l.feature.properties.gp_official !== null) groups[name].figures += 1;
        });
        var names = Object.keys(groups).sort(function (a, b) { return groups[b].figures - groups[a].figures || a.localeCompare(b); });
        var buttons = document.getElementById("districts-map-cities");
        names.forEach(function (name) {
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = name;
          button.addEventListener("click", function () { map.fitBounds(L.featureGroup(groups[name].layers).getBounds()); });
          buttons.appendChild(button);
        });
        if (names.length) map.fitBounds(L.featureGroup(groups[names[0]].layers).getBounds(), { animate: false });
        element.dataset.districts = String(layer.getLayers().length);  // ready: drawn and in place
      });
  };
})();
