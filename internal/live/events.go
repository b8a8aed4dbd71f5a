package live

import (
	"encoding/json"
	"image"
	"strconv"
	"time"
)

// eventKind says what an event reports.
type eventKind uint8

// The kinds of queued event.
const (
	kindTile  eventKind = iota // a tile landed
	kindFrame                  // a frame was written
	kindEnd                    // the job ended
)

// event is one report, queued by Tile, FrameDone or Finish for the hub. It is a
// small plain value so that queueing a tile allocates nothing and copies little.
type event struct {
	kind       eventKind
	frame      int
	worker     int
	rect       image.Rectangle
	start, end time.Duration
	finish     *finish // for kindEnd
}

// finish is what Finish reports.
type finish struct {
	summary string
	at      time.Time     // when the job ended
	cpu     time.Duration // the process's CPU time then
}

// sse returns one Server-Sent Event. data must be one line, as JSON is.
func sse(name string, data []byte) []byte {
	b := make([]byte, 0, len("event: \ndata: \n\n")+len(name)+len(data))
	b = append(b, "event: "...)
	b = append(b, name...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	return append(b, "\n\n"...)
}

// sseJSON returns v as the data of event name.
func sseJSON(name string, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic("live: cannot encode a " + name + " event: " + err.Error()) // only plain structs are encoded
	}
	return sse(name, data)
}

// infoJSON is the data of the info event.
type infoJSON struct {
	Scene         string  `json:"scene"`
	Width         int     `json:"width"`
	Height        int     `json:"height"`
	Frames        []int   `json:"frames"`
	Workers       int     `json:"workers"`
	Tile          int     `json:"tile"`
	FPS           float64 `json:"fps"`
	Cores         int     `json:"cores"`
	TilesPerFrame int     `json:"tilesPerFrame"`
}

// frameJSON is one finished frame in a frames event.
type frameJSON struct {
	Frame int    `json:"frame"`
	URL   string `json:"url"`
}

// statsJSON is the data of the stats event; nil pointers encode as null.
type statsJSON struct {
	Done    int      `json:"done"`
	Total   int      `json:"total"`
	Elapsed float64  `json:"elapsed"`
	ETA     *float64 `json:"eta"`
	Mpxs    float64  `json:"mpxs"`
	CPU     *float64 `json:"cpu"`
	Cores   int      `json:"cores"`
	Tiles   int      `json:"tiles"`
	Workers []int    `json:"workers"` // tiles by worker
}

// endJSON is the data of the end event.
type endJSON struct {
	Summary string  `json:"summary"`
	Elapsed float64 `json:"elapsed"`
}

// tilesMessage returns a tiles event for tiles, at canvas version v. It is written
// by hand, without reflection: it is the one event whose size grows with the job.
func tilesMessage(v uint64, tiles []event) []byte {
	b := make([]byte, 0, 64+96*len(tiles))
	b = append(b, "event: tiles\ndata: {\"v\":"...)
	b = strconv.AppendUint(b, v, 10)
	b = append(b, `,"tiles":[`...)
	for i, t := range tiles {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"frame":`...)
		b = strconv.AppendInt(b, int64(t.frame), 10)
		b = append(b, `,"worker":`...)
		b = strconv.AppendInt(b, int64(t.worker), 10)
		b = append(b, `,"x":`...)
		b = strconv.AppendInt(b, int64(t.rect.Min.X), 10)
		b = append(b, `,"y":`...)
		b = strconv.AppendInt(b, int64(t.rect.Min.Y), 10)
		b = append(b, `,"w":`...)
		b = strconv.AppendInt(b, int64(t.rect.Dx()), 10)
		b = append(b, `,"h":`...)
		b = strconv.AppendInt(b, int64(t.rect.Dy()), 10)
		b = append(b, `,"start":`...)
		b = strconv.AppendFloat(b, t.start.Seconds(), 'f', 6, 64)
		b = append(b, `,"end":`...)
		b = strconv.AppendFloat(b, t.end.Seconds(), 'f', 6, 64)
		b = append(b, '}')
	}
	return append(b, "]}\n\n"...)
}

// framesMessage returns a frames event for the frames numbered ns.
func framesMessage(ns []int) []byte {
	fs := make([]frameJSON, len(ns))
	for i, n := range ns {
		fs[i] = frameJSON{Frame: n, URL: frameURL(n)}
	}
	return sseJSON("frames", struct {
		Frames []frameJSON `json:"frames"`
	}{fs})
}

// frameURL is frame n's URL, relative to the page.
func frameURL(n int) string { return "frames/" + strconv.Itoa(n) + ".png" }
