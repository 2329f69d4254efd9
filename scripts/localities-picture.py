#!/usr/bin/env python3
"""Draws proposals of localities side by side as an SVG, for the guide.

usage: scripts/localities-picture.py DEMAND.csv CAPTION OUT.svg TITLE=MAP.geojson [TITLE=MAP.geojson ...]

Each panel fills a proposal's localities (the GeoJSON that `rounds localities
propose` writes, with its figures as properties), draws the clients as dots
sized by weekly hours, and labels each locality with its hours and the
carers it needs. Standard library only; render the SVG with any browser or
rsvg-convert.
"""
import csv
import json
import math
import sys
from xml.sax.saxutils import escape

FILLS = ["#f5c99b", "#b7c7dc", "#c4d9b0", "#edb7b7", "#c6e2dc", "#d9c5e2", "#f0e0a0", "#c9c9c9"]
EDGES = ["#e08a2c", "#6f8fb8", "#5f9e4a", "#d65a5a", "#6aaba0", "#9a72b0", "#c0a030", "#808080"]
PANEL, PAD, TOP, FOOT = 540, 20, 40, 50


def rings(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def area(pts):
    """Twice the signed area of a polygon, by the shoelace formula."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]))


def centroid(pts):
    """The centroid of a polygon's area, by the shoelace formula."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return pts[0]
    return cx / (3 * a), cy / (3 * a)


def main():
    demand, caption, out = sys.argv[1:4]
    panels = [a.rsplit("=", 1) for a in sys.argv[4:]]
    # Rows placed by postcode alone have no lat and lon here: they are
    # left out of the dots.
    clients = [c for c in csv.DictReader(open(demand)) if c.get("lat") and c.get("lon")]
    maps = [(title, json.load(open(path))) for title, path in panels]
    lats = [float(c["lat"]) for c in clients]
    lons = [float(c["lon"]) for c in clients]
    for _, fc in maps:
        for f in fc["features"]:
            for poly in rings(f["geometry"]):
                for ring in poly:
                    lons += [p[0] for p in ring]
                    lats += [p[1] for p in ring]
    lat0 = (min(lats) + max(lats)) / 2
    kx = math.cos(math.radians(lat0)) * 111320  # metres a degree of longitude
    ky = 111320.0
    w_m = (max(lons) - min(lons)) * kx
    h_m = (max(lats) - min(lats)) * ky
    scale = (PANEL - 2 * PAD) / max(w_m, h_m)  # pixels a metre
    height = TOP + PANEL + FOOT
    width = PAD + len(maps) * (PANEL + PAD)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif">',
           '<rect width="100%" height="100%" fill="white"/>']
    for i, (title, fc) in enumerate(maps):
        ox, oy = PAD + i * (PANEL + PAD), TOP

        def xy(lon, lat):
            x = ox + PAD + (lon - min(lons)) * kx * scale + (PANEL - 2 * PAD - w_m * scale) / 2
            y = oy + PAD + (max(lats) - lat) * ky * scale + (PANEL - 2 * PAD - h_m * scale) / 2
            return x, y

        svg.append(f'<text x="{ox}" y="{TOP - 14}" font-size="17" font-weight="bold">{escape(title)}</text>')
        svg.append(f'<rect x="{ox}" y="{oy}" width="{PANEL}" height="{PANEL}" fill="#f4f4f0" stroke="#ccc"/>')
        for j, f in enumerate(fc["features"]):
            for poly in rings(f["geometry"]):
                d = " ".join("M" + " L".join("%.1f,%.1f" % xy(*p) for p in ring) + "Z" for ring in poly)
                svg.append(f'<path d="{d}" fill="{FILLS[j % len(FILLS)]}" fill-rule="evenodd" stroke="{EDGES[j % len(EDGES)]}" stroke-width="1.5"/>')
        for c in clients:
            x, y = xy(float(c["lon"]), float(c["lat"]))
            r = 1.2 + 0.55 * math.sqrt(float(c["weekly_hours"]))
            svg.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#222" fill-opacity="0.7"/>')
        for f in fc["features"]:
            p = f["properties"]
            outer = max((poly[0] for poly in rings(f["geometry"])), key=lambda r: abs(area([xy(*q) for q in r])))
            cx, cy = centroid([xy(*q) for q in outer])
            hours = math.floor(p["weekly_hours"] + 0.5)  # as the tables round
            label = f'{p.get("name", "")} {hours:,} h'
            if "carers_needed" in p:  # not when proposed with --no-evaluate
                label += f', {p["carers_needed"]} carers'
            svg.append(f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="13" text-anchor="middle" '
                       f'stroke="white" stroke-width="3" paint-order="stroke">{escape(label)}</text>')
        bar = 5000 * scale
        bx, by = ox + 12, oy + PANEL - 14
        svg.append(f'<line x1="{bx}" y1="{by}" x2="{bx + bar:.1f}" y2="{by}" stroke="#222" stroke-width="3"/>')
        svg.append(f'<text x="{bx + bar + 8:.1f}" y="{by + 4}" font-size="12">5 km</text>')
    svg.append(f'<text x="{PAD}" y="{height - 18}" font-size="13" fill="#444">{escape(caption)}</text>')
    svg.append("</svg>")
    open(out, "w").write("\n".join(svg))


if __name__ == "__main__":
    main()
