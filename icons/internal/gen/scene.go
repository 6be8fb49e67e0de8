package main

import (
	"image/color"
	"math"
)

// The key glyph and its badges are described here once, in a 64×64 unit
// space. Every output (the SVG source for packagers and all rasters) is
// produced from these paths, so changing the artwork means editing this file
// and running `go generate ./icons/`.

const units = 64.0

// pt is a point in the 64-unit design space.
type pt struct{ x, y float64 }

// seg is one path command: 'M' (1 point), 'L' (1 point), 'C' (3 points) or
// 'Z' (none).
type seg struct {
	cmd byte
	pts []pt
}

// path is a list of closed sub-paths. Filled areas run in the "forward"
// (clockwise on screen) direction and holes run backwards, so the nonzero
// rule gives the same result in the SVG and in x/image/vector, which adds
// signed coverage.
type path []seg

// layer paints one path. A knockout layer erases what is under it (used only
// for the macOS template images, which are never written as SVG).
type layer struct {
	p        path
	c        color.NRGBA
	knockout bool
}

type scene []layer

// kappa places cubic control points so four segments approximate a circle.
const kappa = 0.5522847498307936

func circle(cx, cy, r float64, hole bool) path {
	k := r * kappa
	if !hole {
		return path{
			{'M', []pt{{cx + r, cy}}},
			{'C', []pt{{cx + r, cy + k}, {cx + k, cy + r}, {cx, cy + r}}},
			{'C', []pt{{cx - k, cy + r}, {cx - r, cy + k}, {cx - r, cy}}},
			{'C', []pt{{cx - r, cy - k}, {cx - k, cy - r}, {cx, cy - r}}},
			{'C', []pt{{cx + k, cy - r}, {cx + r, cy - k}, {cx + r, cy}}},
			{'Z', nil},
		}
	}
	return path{
		{'M', []pt{{cx + r, cy}}},
		{'C', []pt{{cx + r, cy - k}, {cx + k, cy - r}, {cx, cy - r}}},
		{'C', []pt{{cx - k, cy - r}, {cx - r, cy - k}, {cx - r, cy}}},
		{'C', []pt{{cx - r, cy + k}, {cx - k, cy + r}, {cx, cy + r}}},
		{'C', []pt{{cx + k, cy + r}, {cx + r, cy + k}, {cx + r, cy}}},
		{'Z', nil},
	}
}

func rect(x0, y0, x1, y1 float64) path {
	return path{
		{'M', []pt{{x0, y0}}},
		{'L', []pt{{x1, y0}}},
		{'L', []pt{{x1, y1}}},
		{'L', []pt{{x0, y1}}},
		{'Z', nil},
	}
}

func roundRect(x0, y0, x1, y1, r float64) path {
	k := r * (1 - kappa)
	return path{
		{'M', []pt{{x0 + r, y0}}},
		{'L', []pt{{x1 - r, y0}}},
		{'C', []pt{{x1 - k, y0}, {x1, y0 + k}, {x1, y0 + r}}},
		{'L', []pt{{x1, y1 - r}}},
		{'C', []pt{{x1, y1 - k}, {x1 - k, y1}, {x1 - r, y1}}},
		{'L', []pt{{x0 + r, y1}}},
		{'C', []pt{{x0 + k, y1}, {x0, y1 - k}, {x0, y1 - r}}},
		{'L', []pt{{x0, y0 + r}}},
		{'C', []pt{{x0, y0 + k}, {x0 + k, y0}, {x0 + r, y0}}},
		{'Z', nil},
	}
}

// affine maps (x, y) to (a*x + c*y + e, b*x + d*y + f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) apply(p path) path {
	out := make(path, len(p))
	for i, s := range p {
		pts := make([]pt, len(s.pts))
		for j, q := range s.pts {
			pts[j] = pt{m.a*q.x + m.c*q.y + m.e, m.b*q.x + m.d*q.y + m.f}
		}
		out[i] = seg{s.cmd, pts}
	}
	return out
}

func join(ps ...path) path {
	var out path
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

// keyShape is the key drawn horizontally (bow at the origin, bit to the
// right, teeth hanging down), grown by g units on every edge. Growing the
// same geometry gives the contrasting halo, so the glyph reads on dark and
// light panels alike.
func keyShape(g float64) path {
	const (
		bowR   = 13.0
		holeR  = 5.5
		shaftY = 4.5 // half the shaft's thickness
		shaftE = 46.0
	)
	p := join(
		circle(0, 0, bowR+g, false),
		rect(bowR-3-g, -shaftY-g, shaftE+g, shaftY+g),
		rect(29-g, shaftY-1, 35.5+g, 11.5+g),
		rect(39-g, shaftY-1, shaftE+g, 14+g),
	)
	if holeR-g > 0.5 { // a wide halo would close the hole entirely
		p = join(p, circle(0, 0, holeR-g, true))
	}
	return p
}

// keyPlacement turns the horizontal key 45° (bow top-left, bit bottom-right,
// teeth towards the bottom-left) and fits it in a box of the given size
// centred on (cx, cy). The top-right corner stays free for the state badge.
func keyPlacement(size, cx, cy float64) affine {
	// Extent of the ungrown key along its axis is -13..46, across -13..14.
	const axisMin, axisMax, acrossMin, acrossMax = -13.0, 46.0, -13.0, 14.0
	s := math.Sqrt2 / 2
	// Width of the rotated bounding box, per unit of scale.
	w := ((axisMax - axisMin) + (acrossMax - acrossMin)) * s
	k := size / w
	// Centre of the key in its own frame, after rotation and scaling.
	mx, my := (axisMin+axisMax)/2, (acrossMin+acrossMax)/2
	rx, ry := k*(s*mx-s*my), k*(s*mx+s*my)
	return affine{a: k * s, b: k * s, c: -k * s, d: k * s, e: cx - rx, f: cy - ry}
}

var (
	blue  = color.NRGBA{0x2f, 0x6f, 0xeb, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	amber = color.NRGBA{0xf5, 0xa6, 0x23, 0xff}
	grey  = color.NRGBA{0x86, 0x8b, 0x94, 0xff}
	red   = color.NRGBA{0xe0, 0x36, 0x2c, 0xff}
	black = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	dim   = color.NRGBA{0x00, 0x00, 0x00, 0x73} // template "disabled" key
)

// State names, used in file names.
const (
	stateIdle        = "idle"
	statePairing     = "pairing"
	stateUnreachable = "unreachable"
)

var states = []string{stateIdle, statePairing, stateUnreachable}

// Badge geometry: a dot in the free top-right corner.
const badgeX, badgeY, badgeR, badgeHalo = 50.0, 14.0, 10.0, 3.0

func badgeBar() path { return rect(badgeX-6, badgeY-2, badgeX+6, badgeY+2) }

// trayScene is the coloured tray icon for Linux and Windows: a blue key
// (grey when Anytype is unreachable) with a white halo, and a badge.
func trayScene(state string) scene {
	m := keyPlacement(54, 30, 34)
	key := blue
	if state == stateUnreachable {
		key = grey
	}
	sc := scene{
		{p: m.apply(keyShape(2.5)), c: white},
		{p: m.apply(keyShape(0)), c: key},
	}
	switch state {
	case statePairing:
		sc = append(sc,
			layer{p: circle(badgeX, badgeY, badgeR+badgeHalo, false), c: white},
			layer{p: circle(badgeX, badgeY, badgeR, false), c: amber})
	case stateUnreachable:
		sc = append(sc,
			layer{p: circle(badgeX, badgeY, badgeR+badgeHalo, false), c: white},
			layer{p: circle(badgeX, badgeY, badgeR, false), c: red},
			layer{p: badgeBar(), c: white})
	}
	return sc
}

// templateScene is the macOS menu-bar variant: black plus alpha only, so the
// system can tint it for light and dark menu bars.
func templateScene(state string) scene {
	m := keyPlacement(54, 30, 34)
	key := black
	if state == stateUnreachable {
		key = dim
	}
	sc := scene{{p: m.apply(keyShape(0)), c: key}}
	if state == stateIdle {
		return sc
	}
	sc = append(sc,
		layer{p: circle(badgeX, badgeY, badgeR+badgeHalo, false), knockout: true},
		layer{p: circle(badgeX, badgeY, badgeR, false), c: black})
	if state == stateUnreachable {
		sc = append(sc, layer{p: badgeBar(), knockout: true})
	}
	return sc
}

// appScene is the application icon: a white key on a blue rounded tile.
func appScene() scene {
	m := keyPlacement(40, 32, 32)
	return scene{
		{p: roundRect(4, 4, 60, 60, 13), c: blue},
		{p: m.apply(keyShape(0)), c: white},
	}
}
