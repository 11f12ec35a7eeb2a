/* The search's map: country shapes shipped by the app (Natural Earth), circles per place, route lines.
   No tile server and no request outside the application; the page's tables carry the same totals. */
(function () {
  "use strict";
  var COLOURS = { drugs: "#b3261e", precursors: "#7b1fa2", weapons: "#37474f", ammunition: "#6d4c41",
                  cash: "#2e7d32", other: "#1565c0" };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function popup(place, labels) {
    var box = el("div", undefined, "map-popup");
    box.appendChild(el("strong", place.name));
    box.appendChild(el("p", place.count + " " + labels.seizures + " · " + place.kg_text + " " + labels.kg));
    var list = el("ul");
    place.categories.forEach(function (pair) { list.appendChild(el("li", pair[0] + ": " + pair[1])); });
    box.appendChild(list);
    var link = el("a", labels.list);
    link.href = place.href;
    box.appendChild(link);
    return box;
  }

  function radius(place, measure, largest) {
    var value = measure === "kg" ? place.kg : place.count;
    return largest > 0 ? 4 + 26 * Math.sqrt(value / largest) : 4;
  }

  function drawPlaces(map, figures, labels, measure) {
    var layer = L.layerGroup();
    var largest = Math.max.apply(null, figures.places.map(function (p) { return measure === "kg" ? p.kg : p.count; }).concat([0]));
    figures.places.forEach(function (place) {
      var colour = COLOURS[place.category] || COLOURS.other;
      L.circleMarker([place.lat, place.lon], { radius: radius(place, measure, largest), color: colour,
        fillColor: colour, fillOpacity: 0.45, weight: 2 })
        .bindPopup(popup(place, labels)).bindTooltip(place.name).addTo(layer);
    });
    return layer.addTo(map);
  }

  function drawRoutes(map, figures, centroids) {
    var layer = L.layerGroup();
    var most = Math.max.apply(null, figures.routes.map(function (r) { return r.count; }).concat([1]));
    figures.routes.forEach(function (route) {
      var points = route.countries.map(function (code) { return centroids[code]; }).filter(Boolean);
      if (points.length < 2) return;
      L.polyline(points, { color: "#455a64", weight: 1 + 7 * route.count / most, opacity: 0.6 })
        .bindTooltip(route.label + ": " + route.count + " · " + route.kg_text + " kg").addTo(layer);
    });
    return layer.addTo(map);
  }

  function legend(map, figures, labels) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", undefined, "map-legend");
      box.appendChild(el("strong", labels.legend));
      figures.categories.forEach(function (pair) {
        var row = el("div");
        var swatch = el("span", "", "swatch swatch-" + pair[0]);
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(" " + pair[1]));
        box.appendChild(row);
      });
      return box;
    };
    control.addTo(map);
  }

  function start(container) {
    container.hidden = false;  // a panel that is only a list without script (the dashboard's) shows its map
    var figures = JSON.parse(container.dataset.figures);
    var labels = { seizures: container.dataset.labelSeizures, kg: container.dataset.labelKg,
                   list: container.dataset.labelList, legend: container.dataset.labelLegend };
    var map = L.map(container, { zoomSnap: 0.5, worldCopyJump: false, attributionControl: true });
    map.attributionControl.setPrefix("Leaflet · Natural Earth");
    var points = figures.places.map(function (p) { return [p.lat, p.lon]; });
    // the places found, with room around them; Central Asia and its neighbours when there are none
    map.fitBounds(points.length ? L.latLngBounds(points).pad(0.6) : [[30, 50], [47, 76]], { maxZoom: 7 });
    fetch(container.dataset.countries, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (countries) {
        var centroids = {};
        countries.features.forEach(function (f) { if (f.properties.iso) centroids[f.properties.iso] = f.properties.centroid; });
        L.geoJSON(countries, { style: function (f) {
          return { color: "#90a4ae", weight: 1, fillColor: f.properties.iso === "UZ" ? "#eceff1" : "#f7f9fa", fillOpacity: 1 };
        }, interactive: false }).addTo(map);
        drawRoutes(map, figures, centroids);
        var places = drawPlaces(map, figures, labels, "count");
        var select = document.getElementById("map-measure");
        if (select) {
          select.closest(".map-controls").hidden = false;
          select.addEventListener("change", function () {
            map.removeLayer(places);
            places = drawPlaces(map, figures, labels, select.value);
          });
        }
        legend(map, figures, labels);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("map");
    if (container && window.L) start(container);
  });
})();
