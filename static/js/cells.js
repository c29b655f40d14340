// The access map of a territory page (templates/districts/_access.html): population squares coloured by the
// straight-line distance to the nearest GP hub. Popups are built with textContent, never HTML strings.
(function () {
  "use strict";

  function line(tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  // Grey where the squares carry no distance (the directory is not known to list every GP there).
  window.portalSquareColour = function (data, feature) {
    var found = feature.properties["class"];
    return found === null || found === undefined ? "#b1b4b6" : data.classes[found];
  };

  window.portalCellsInit = function (map) {
    var source = JSON.parse(document.getElementById("cells-map-data").textContent).source;
    var element = map.getContainer();
    var lang = document.documentElement.lang || "fr";
    map.scrollWheelZoom.disable();
    fetch(source).then(function (response) { return response.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return { color: "#0b0c0c", weight: 0.5, fillColor: window.portalSquareColour(data, feature), fillOpacity: 0.75 };
        },
        onEachFeature: function (feature, square) {
          var words = JSON.parse(document.getElementById("ui-labels").textContent);
          var box = document.createElement("div");
          var metres = feature.properties.metres;
          box.appendChild(line("strong", words.residents.replace("{n}", feature.properties.people.toLocaleString(lang))));
          if (metres !== null) {
            var far = metres > 20000 ? words.farther_than_20_km : metres.toLocaleString(lang) + " m";
            box.appendChild(line("div", words.nearest_gp.replace("{d}", far)));
          }
          square.bindPopup(box);
        },
      }).addTo(map);
      if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false });
      element.dataset.squares = String(layer.getLayers().length);
      element.dataset.size = String(data.size);
    });
  };
})();

// The what-if page (templates/access/what_if.html): a click on the map fills the form's point and sends it;
// the chosen point is marked, and the territory's squares drawn when the page has one.
(function () {
  "use strict";

  window.portalWhatIfInit = function (map) {
    var form = document.querySelector(".what-if-form");
    var lat = form.querySelector("[name=lat]"), lng = form.querySelector("[name=lng]");
    var data = JSON.parse(document.getElementById("what-if-map-data").textContent);
    map.scrollWheelZoom.disable();
    map.setView(data.home, 12);
    if (lat.value && lng.value) {
      var chosen = [parseFloat(lat.value), parseFloat(lng.value)];
      L.circleMarker(chosen, { radius: 9, weight: 3, color: "#0b0c0c", fillColor: "#ffffff", fillOpacity: 1 }).addTo(map);
      map.setView(chosen, 14);
    }
    if (data.source) {
      fetch(data.source).then(function (response) { return response.json(); }).then(function (squares) {
        var layer = L.geoJSON(squares, {
          style: function (feature) {
            return { color: "#0b0c0c", weight: 0.5, fillColor: window.portalSquareColour(squares, feature), fillOpacity: 0.6 };
          },
        }).addTo(map);
        if (!(lat.value && lng.value) && layer.getLayers().length) map.fitBounds(layer.getBounds(), { animate: false });
        map.getContainer().dataset.squares = String(layer.getLayers().length);
      });
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(5);
      lng.value = event.latlng.lng.toFixed(5);
      form.submit();
    });
    map.getContainer().dataset.ready = "1";
  };
})();
