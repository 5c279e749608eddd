// Enhances the server-drawn SVG map with Leaflet when JavaScript runs. Tiles come only from the address the
// council set (data-tiles); without one the map shows the wards alone, and no request leaves the site.
/* global L */
(function () {
  "use strict";
  var figure = document.getElementById("initiatives-map");
  if (!figure || typeof L === "undefined") {
    return;
  }
  var svg = figure.querySelector("svg");
  var clusters = Array.prototype.map.call(figure.querySelectorAll("a[data-lat]"), function (link) {
    return {
      lat: parseFloat(link.getAttribute("data-lat")),
      lon: parseFloat(link.getAttribute("data-lon")),
      count: parseInt(link.getAttribute("data-count"), 10),
      href: link.getAttribute("href"),
      label: link.querySelector("title") ? link.querySelector("title").textContent : ""
    };
  });
  var holder = document.createElement("div");
  holder.className = "initiatives-map__leaflet";
  holder.setAttribute("role", "region");
  holder.setAttribute("aria-label", svg.querySelector("title").textContent);
  figure.insertBefore(holder, svg);
  holder.style.height = "480px";
  var map = L.map(holder, { attributionControl: Boolean(figure.getAttribute("data-tiles")) });
  var tiles = figure.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
  }
  var bounds = figure.getAttribute("data-bounds").split(",").map(parseFloat);
  map.fitBounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]]);
  fetch(figure.getAttribute("data-areas"), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (areas) {
      L.geoJSON(areas, {
        style: function (feature) {
          return feature.properties.kind === "boundary"
            ? { color: "#0b0c0c", weight: 3, fill: false }
            : { color: "#505a5f", weight: 1.5, fillColor: "#ffffff", fillOpacity: 0.4 };
        },
        onEachFeature: function (feature, layer) {
          if (feature.properties.name) {
            layer.bindTooltip(feature.properties.name);
          }
        }
      }).addTo(map);
    })
    .catch(function () { /* the wards are also in the table beside the map */ });
  // The server grouped points for its own drawing; at Leaflet's zoom they are grouped again so that no two
  // markers overlap (each stays a target of at least 32 px, apart from the others).
  var markers = L.layerGroup().addTo(map);
  function draw() {
    markers.clearLayers();
    var groups = [];
    clusters.forEach(function (c) {
      var point = map.latLngToContainerPoint([c.lat, c.lon]);
      var near = groups.find(function (g) { return g.point.distanceTo(point) < 40; });
      if (near) {
        near.count += c.count;
        near.members.push(c);
      } else {
        groups.push({ point: point, count: c.count, members: [c], lat: c.lat, lon: c.lon });
      }
    });
    groups.forEach(function (g) {
      var label = g.members.length === 1 ? g.members[0].label : String(g.count);
      var icon = L.divIcon({ className: "initiatives-map__marker", html: String(g.count), iconSize: [32, 32] });
      var marker = L.marker([g.lat, g.lon], { icon: icon, title: label, alt: label, keyboard: true });
      marker.on("click", function () {
        if (g.members.length === 1) {
          window.location.href = g.members[0].href;
        } else {
          map.fitBounds(g.members.map(function (m) { return [m.lat, m.lon]; }), { padding: [40, 40] });
        }
      });
      markers.addLayer(marker);
    });
  }
  map.on("zoomend", draw);
  draw();
  svg.style.display = "none";  // the hidden attribute does not hide an svg element
  figure.classList.add("initiatives-map--enhanced");
})();
