// Builds static/map/countries.geojson from Natural Earth (npm world-atlas, public domain):
// countries of Central Asia and its neighbours at 1:50m, the rest of the world at 1:110m, each
// with its ISO 3166-1 alpha-2 code, English name and centroid (the end of route lines), and
// vendors Leaflet (BSD-2-Clause) under static/vendor/leaflet/. Run by `make map-data`.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, cpSync } from "node:fs";
import { join } from "node:path";
import { feature } from "topojson-client";
import { geoCentroid } from "d3-geo";
import countries from "i18n-iso-countries";

const [modules, staticDir] = process.argv.slice(2);
const atlas = (name) => JSON.parse(readFileSync(join(modules, "world-atlas", name), "utf8"));
// the region drawn in detail: lon 25..100, lat 20..60 (Caspian to western China, Iran to Siberia's edge)
const REGION = (f) => { const [lon, lat] = geoCentroid(f); return lon > 25 && lon < 100 && lat > 20 && lat < 60; };

const round = (digits) => (value) => Array.isArray(value) ? value.map(round(digits)) : Number(value.toFixed(digits));

function features(name, keep, digits) {
  const topo = atlas(name);
  return feature(topo, topo.objects.countries).features.filter(keep).map((f) => {
    const iso = countries.numericToAlpha2(f.id) || "";
    const [lon, lat] = geoCentroid(f);
    return {
      type: "Feature",
      properties: { iso, name: f.properties.name, centroid: [Number(lat.toFixed(3)), Number(lon.toFixed(3))] },
      geometry: { type: f.geometry.type, coordinates: round(digits)(f.geometry.coordinates) },
    };
  });
}

const detailed = features("countries-50m.json", REGION, 3);
const near = new Set(detailed.map((f) => f.properties.iso));
const world = features("countries-110m.json", (f) => !near.has(countries.numericToAlpha2(f.id) || "?") && f.geometry, 1);
mkdirSync(join(staticDir, "map"), { recursive: true });
writeFileSync(join(staticDir, "map", "countries.json"),
  JSON.stringify({ type: "FeatureCollection", features: [...detailed, ...world] }));

const leaflet = join(staticDir, "vendor", "leaflet");
mkdirSync(leaflet, { recursive: true });
for (const file of ["leaflet.js", "leaflet.css"]) copyFileSync(join(modules, "leaflet", "dist", file), join(leaflet, file));
// Leaflet's default attribution prefix links to leafletjs.com, a host the users' closed networks cannot
// reach; the map sets its own prefix, and the served copy carries no link out of the application.
const script = join(leaflet, "leaflet.js");
writeFileSync(script, readFileSync(script, "utf8").replace('<a href="https://leafletjs.com" title=', '<a title='));
cpSync(join(modules, "leaflet", "dist", "images"), join(leaflet, "images"), { recursive: true });
copyFileSync(join(modules, "leaflet", "LICENSE"), join(leaflet, "LICENSE"));
copyFileSync(join(modules, "world-atlas", "LICENSE"), join(staticDir, "map", "LICENSE-world-atlas"));
console.log(`countries: ${detailed.length} in detail, ${world.length} in outline`);
