/* Small maps on the record page and the operation form, drawn from the application's own files only
   (Leaflet and the Natural Earth country shapes it ships; no tile server). Without this script the
   record page still lists the place and the routes, and the form keeps its latitude and longitude fields.
     data-map-kind="record": the operation's place and its seizures' routes (data-figures, JSON);
     data-map-kind="picker": a click sets the latitude and longitude fields named by data-lat / data-lon. */
(function () {
  "use strict";
  var REGION = [[30, 50], [47, 76]];  // Central Asia and its neighbours

  function baseMap(container) {
    container.hidden = false;
    var map = L.map(container, { zoomSnap: 0.5, scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.setPrefix("Leaflet · Natural Earth");
    map.fitBounds(REGION);
    var loaded = fetch(container.dataset.countries, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (countries) {
        L.geoJSON(countries, { style: function (f) {
          return { color: "#90a4ae", weight: 1, fillColor: f.properties.iso === "UZ" ? "#eceff1" : "#f7f9fa", fillOpacity: 1 };
        }, interactive: false }).addTo(map);
        var centroids = {};
        countries.features.forEach(function (f) { if (f.properties.iso) centroids[f.properties.iso] = f.properties.centroid; });
        return centroids;
      });
    return { map: map, loaded: loaded };
  }

  function record(container) {
    var figures = JSON.parse(container.dataset.figures);
    var base = baseMap(container);
    base.loaded.then(function (centroids) {
      var points = [];
      var most = Math.max.apply(null, figures.routes.map(function (r) { return r.count; }).concat([1]));
      figures.routes.forEach(function (route) {
        var line = route.countries.map(function (code) { return centroids[code]; }).filter(Boolean);
        if (line.length < 2) return;
        points = points.concat(line);
        L.polyline(line, { color: "#455a64", weight: 2 + 4 * route.count / most, opacity: 0.7, dashArray: "6 4" })
          .bindTooltip(route.label + ": " + route.count).addTo(base.map);
      });
      if (figures.place) {
        var here = [figures.place.lat, figures.place.lon];
        points.push(here);
        L.circleMarker(here, { radius: 8, color: "#b3261e", fillColor: "#b3261e", fillOpacity: 0.6, weight: 2 })
          .bindTooltip(figures.place.name).addTo(base.map);
      }
      if (points.length) base.map.fitBounds(L.latLngBounds(points).pad(0.15), { maxZoom: 7 });
    });
  }

  function picker(container) {
    var lat = document.getElementById(container.dataset.lat);
    var lon = document.getElementById(container.dataset.lon);
    if (!lat || !lon) return;
    var hint = container.parentNode.querySelector(".picker-hint");
    if (hint) hint.hidden = false;
    var base = baseMap(container);
    var marker = null;
    function show() {
      var y = parseFloat((lat.value || "").replace(",", ".")), x = parseFloat((lon.value || "").replace(",", "."));
      if (isNaN(y) || isNaN(x) || Math.abs(y) > 90 || Math.abs(x) > 180) return;
      if (marker) marker.setLatLng([y, x]);
      else marker = L.circleMarker([y, x], { radius: 7, color: "#1565c0", fillColor: "#1565c0", fillOpacity: 0.6 }).addTo(base.map);
    }
    function set(field, value) {
      field.value = value.toFixed(4);
      field.dispatchEvent(new Event("input", { bubbles: true }));  // the form counts it as typed work
    }
    base.map.on("click", function (event) {
      if (lat.matches(":disabled")) return;  // a place from the list is chosen: its coordinates are known
      set(lat, event.latlng.lat);
      set(lon, L.Util.wrapNum(event.latlng.lng, [-180, 180], true));
      show();
    });
    lat.addEventListener("change", show);
    lon.addEventListener("change", show);
    show();
    if (marker) base.map.setView(marker.getLatLng(), 7);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) return;
    document.querySelectorAll("[data-map-kind]").forEach(function (container) {
      if (container.dataset.mapKind === "record") record(container);
      else if (container.dataset.mapKind === "picker") picker(container);
    });
  });
})();
