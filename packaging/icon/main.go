// Command icon draws the FileSync application icon (Icon.png at the repository
// root, referenced from FyneApp.toml).
//
// The icon is a rounded-square badge with a blue-to-teal gradient holding three
// white computer monitors arranged around a pair of circular sync arrows. Every
// shape is described by a signed distance function; each pixel is sampled on a
// 4×4 grid with analytic edge coverage per sample and the samples are averaged
// (a box filter), so edges are smooth at any size. The output depends only on
// the size, so repeated runs produce identical files.
//
// Usage, from the repository root:
//
//	go run ./packaging/icon -o Icon.png [-size 512]
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

// ss is the supersampling factor per axis.
const ss = 4

func main() {
	out := flag.String("o", "Icon.png", "output PNG `path`")
	size := flag.Int("size", 512, "width and height of the icon in `pixels`")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "icon: unexpected arguments:", flag.Args())
		os.Exit(2)
	}
	if *size < 16 || *size > 4096 {
		fmt.Fprintln(os.Stderr, "icon: -size must be between 16 and 4096")
		os.Exit(2)
	}
	if err := write(*out, render(*size)); err != nil {
		fmt.Fprintln(os.Stderr, "icon:", err)
		os.Exit(1)
	}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ---------------------------------------------------------------------------
// Geometry. All coordinates are in the unit square, x to the right, y down.

type vec struct{ x, y float64 }

func (a vec) add(b vec) vec           { return vec{a.x + b.x, a.y + b.y} }
func (a vec) sub(b vec) vec           { return vec{a.x - b.x, a.y - b.y} }
func (a vec) mul(s float64) vec       { return vec{a.x * s, a.y * s} }
func (a vec) dot(b vec) float64       { return a.x*b.x + a.y*b.y }
func (a vec) cross(b vec) float64     { return a.x*b.y - a.y*b.x }
func (a vec) length() float64         { return math.Hypot(a.x, a.y) }
func polar(r, angle float64) vec      { return vec{r * math.Cos(angle), r * math.Sin(angle)} }
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func smoothstep(e0, e1, x float64) float64 {
	t := clamp((x-e0)/(e1-e0), 0, 1)
	return t * t * (3 - 2*t)
}

func mix(a, b, t float64) float64 { return a + (b-a)*t }

// sdRoundRect is the distance to an axis-aligned rectangle with centre c,
// half-extents h and corner radius r.
func sdRoundRect(p, c, h vec, r float64) float64 {
	q := vec{math.Abs(p.x-c.x) - h.x + r, math.Abs(p.y-c.y) - h.y + r}
	outside := vec{math.Max(q.x, 0), math.Max(q.y, 0)}.length()
	inside := math.Min(math.Max(q.x, q.y), 0)
	return outside + inside - r
}

// sdSegment is the distance to the segment ab.
func sdSegment(p, a, b vec) float64 {
	pa, ba := p.sub(a), b.sub(a)
	t := clamp(pa.dot(ba)/ba.dot(ba), 0, 1)
	return pa.sub(ba.mul(t)).length()
}

// sdTriangle is the exact distance to the triangle abc.
func sdTriangle(p, a, b, c vec) float64 {
	d := math.Min(sdSegment(p, a, b), math.Min(sdSegment(p, b, c), sdSegment(p, c, a)))
	s1 := b.sub(a).cross(p.sub(a))
	s2 := c.sub(b).cross(p.sub(b))
	s3 := a.sub(c).cross(p.sub(c))
	if (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0) {
		return -d
	}
	return d
}

// angleIn reports whether angle a lies on the arc that runs from a0 in the
// direction of increasing angle for span radians, and how far from its nearer
// end it is.
func angleIn(a, a0, span float64) (bool, float64) {
	t := math.Mod(a-a0, 2*math.Pi)
	if t < 0 {
		t += 2 * math.Pi
	}
	if t <= span {
		return true, math.Min(t, span-t)
	}
	return false, 0
}

// sdArc is the distance to a circular band of radius r and width w around c,
// from angle a0 for span radians, with square (butt) ends.
func sdArc(p, c vec, r, w, a0, span float64) float64 {
	d := p.sub(c)
	l := d.length()
	a := math.Atan2(d.y, d.x)
	if in, fromEnd := angleIn(a, a0, span); in {
		return math.Max(math.Abs(l-r)-w/2, -fromEnd*l)
	}
	end := func(ang float64) float64 {
		return sdSegment(p, c.add(polar(r-w/2, ang)), c.add(polar(r+w/2, ang)))
	}
	return math.Min(end(a0), end(a0+span))
}

// ---------------------------------------------------------------------------
// The design.

var (
	center = vec{0.5, 0.5}

	// Badge: a rounded square with a soft shadow below it.
	badgeHalf   = vec{0.44, 0.44}
	badgeRadius = 0.2

	// Sync arrows: two arcs chasing each other around ringCenter.
	ringCenter = vec{0.5, 0.568}
	ringRadius = 0.135
	ringWidth  = 0.07
	headAt     = 0.0   // angle of the base of the first arrowhead; the second is opposite
	arcGap     = 0.34  // radians between the tip of one arrow and the tail of the other
	headLen    = 0.085 // along the circle
	headWidth  = 0.165 // across the circle

	// Monitors (centre of each screen).
	monitors = []vec{{0.5, 0.218}, {0.238, 0.708}, {0.762, 0.708}}
	screenH  = vec{0.094, 0.065} // half-extents of the monitor body
	bezel    = 0.024
)

func sdBadge(p vec) float64 { return sdRoundRect(p, center, badgeHalf, badgeRadius) }

// sdArrows is the distance to both sync arrows.
func sdArrows(p vec) float64 {
	d := math.Inf(1)
	headAngle := headLen / ringRadius
	span := math.Pi - arcGap - headAngle
	for i := 0; i < 2; i++ {
		base := headAt + float64(i)*math.Pi
		a0 := base - span
		d = math.Min(d, sdArc(p, ringCenter, ringRadius, ringWidth, a0, span+0.01))
		tip := ringCenter.add(polar(ringRadius, base+headAngle))
		outer := ringCenter.add(polar(ringRadius+headWidth/2, base))
		inner := ringCenter.add(polar(ringRadius-headWidth/2, base))
		d = math.Min(d, sdTriangle(p, inner, outer, tip))
	}
	return d
}

// sdMonitor is the distance to one monitor: body, neck and foot.
func sdMonitor(p, c vec) float64 {
	body := sdRoundRect(p, c, screenH, 0.022)
	neckTop := c.y + screenH.y - 0.01
	neckBottom := c.y + screenH.y + 0.035
	neck := sdRoundRect(p, vec{c.x, (neckTop + neckBottom) / 2}, vec{0.017, (neckBottom - neckTop) / 2}, 0.002)
	foot := sdRoundRect(p, vec{c.x, neckBottom + 0.008}, vec{0.058, 0.013}, 0.013)
	return math.Min(body, math.Min(neck, foot))
}

// sdScreen is the distance to the screen inside one monitor body.
func sdScreen(p, c vec) float64 {
	return sdRoundRect(p, c, vec{screenH.x - bezel, screenH.y - bezel}, 0.008)
}

func sdGlyphs(p vec) float64 {
	d := sdArrows(p)
	for _, m := range monitors {
		d = math.Min(d, sdMonitor(p, m))
	}
	return d
}

func sdScreens(p vec) float64 {
	d := math.Inf(1)
	for _, m := range monitors {
		d = math.Min(d, sdScreen(p, m))
	}
	return d
}

// rgba is a premultiplied colour with components in [0, 1].
type rgba struct{ r, g, b, a float64 }

// over composites colour (r, g, b) with coverage a over dst.
func over(dst rgba, r, g, b, a float64) rgba {
	if a <= 0 {
		return dst
	}
	k := 1 - a
	return rgba{r*a + dst.r*k, g*a + dst.g*k, b*a + dst.b*k, a + dst.a*k}
}

// badgeColour is the badge gradient at p: deep blue at the top left to teal at
// the bottom right, with a soft light from the top.
func badgeColour(p vec) (r, g, b float64) {
	t := clamp((p.x*0.45+p.y*0.9-0.15)/1.05, 0, 1)
	t = smoothstep(0, 1, t)
	r = mix(0.16, 0.03, t)
	g = mix(0.42, 0.72, t)
	b = mix(0.96, 0.70, t)
	glow := 0.10 * (1 - smoothstep(0, 0.55, vec{p.x - 0.35, p.y - 0.12}.length()))
	return r + (1-r)*glow, g + (1-g)*glow, b + (1-b)*glow
}

// sample is the colour of the icon at p, where px is the size of one sample
// in unit coordinates (the width of the anti-aliased edge).
func sample(p vec, px float64) rgba {
	cover := func(d float64) float64 { return clamp(0.5-d/px, 0, 1) }
	var c rgba

	// Drop shadow under the badge.
	ds := sdBadge(p.sub(vec{0, 0.014}))
	c = over(c, 0.02, 0.06, 0.16, 0.32*(1-smoothstep(-0.02, 0.028, ds)))

	badge := cover(sdBadge(p))
	if badge > 0 {
		r, g, b := badgeColour(p)
		c = over(c, r, g, b, badge)

		// A thin lighter rim along the top edge of the badge.
		rim := cover(math.Abs(sdBadge(p)+0.006)-0.004) * (1 - smoothstep(0.2, 0.65, p.y)) * 0.22
		c = over(c, 1, 1, 1, rim*badge)

		// Soft shadow under the white glyphs, kept inside the badge.
		gs := sdGlyphs(p.sub(vec{0, 0.01}))
		c = over(c, 0.02, 0.10, 0.28, badge*0.28*(1-smoothstep(-0.012, 0.02, gs)))

		c = over(c, 1, 1, 1, cover(sdGlyphs(p)))

		// Screens: a deeper shade of the badge, lighter towards the top.
		if s := cover(sdScreens(p)); s > 0 {
			r, g, b := badgeColour(p)
			k := 0.78
			c = over(c, r*k, g*k, b*k, s)
		}
	}
	return c
}

func render(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	n := float64(size * ss)
	px := 1 / n
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var acc rgba
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					p := vec{(float64(x*ss+sx) + 0.5) / n, (float64(y*ss+sy) + 0.5) / n}
					s := sample(p, px)
					acc.r += s.r
					acc.g += s.g
					acc.b += s.b
					acc.a += s.a
				}
			}
			const k = 1.0 / (ss * ss)
			img.SetNRGBA(x, y, toNRGBA(acc.r*k, acc.g*k, acc.b*k, acc.a*k))
		}
	}
	return img
}

// toNRGBA converts a premultiplied colour to 8-bit non-premultiplied form.
func toNRGBA(r, g, b, a float64) color.NRGBA {
	if a <= 0 {
		return color.NRGBA{}
	}
	q := func(v float64) uint8 { return uint8(math.Round(clamp(v, 0, 1) * 255)) }
	return color.NRGBA{q(r / a), q(g / a), q(b / a), q(a)}
}
