package main

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// ffmpegArgs are the arguments that make ffmpeg encode count frames of the PNG
// sequence named by pattern, from frame first, to H.264 video at out: what render
// runs for --video, and what it suggests when ffmpeg is missing. extra go just
// before the output file.
func ffmpegArgs(pattern string, fps float64, first, count int, out string, extra ...string) []string {
	args := []string{
		"-y", "-loglevel", "error", "-framerate", strconv.FormatFloat(fps, 'g', -1, 64),
		"-start_number", strconv.Itoa(first), "-i", pattern, "-frames:v", strconv.Itoa(count),
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
	}
	return append(append(args, extra...), out)
}

// checkVideo checks, before rendering, that --video can be made of frames.
func checkVideo(o *options, frames []int) error {
	if o.video == "" {
		return nil
	}
	if o.width%2 != 0 || o.height%2 != 0 {
		return usagef("--video encodes H.264 in 4:2:0, which needs an even width and height, got %dx%d: use %dx%d", o.width, o.height, o.width+o.width%2, o.height+o.height%2)
	}
	if frames[len(frames)-1]-frames[0] != len(frames)-1 {
		return usagef("--video needs a run of frames without gaps, and --range %s has gaps: render the gaps too, or encode the pieces separately", o.frameRange)
	}
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		cmd := "ffmpeg " + strings.Join(ffmpegArgs(filepath.Join(o.out, o.name), o.fps, frames[0], len(frames), o.video), " ")
		return usagef("--video needs ffmpeg, which is not on PATH: install it (e.g. apt-get install ffmpeg), or leave out --video and encode the frames later with: %s", cmd)
	}
	return nil
}

// video is --video: the frames, once written, encoded to H.264 by ffmpeg.
type video struct {
	o      options
	j      job
	stderr io.Writer // for ffmpeg's progress bar
}

func newVideo(_ string, o options, j job, stderr io.Writer) (extra, error) {
	return video{o, j, stderr}, nil
}

// Finish encodes the video, unless the job was interrupted before every frame
// was written.
func (v video) Finish(end ending) error {
	if end.interrupted {
		return nil
	}
	return encodeVideo(v.o, v.j, v.stderr)
}

// encodeVideo encodes the written sequence to o.video with ffmpeg, showing its
// progress, into a temporary file that is renamed into place when whole.
func encodeVideo(o options, j job, stderr io.Writer) error {
	tmp, err := temps.Create(o.video)
	if err != nil {
		return err
	}
	args := ffmpegArgs(filepath.Join(j.seq.Dir(), o.name), j.FPS, j.selected[0], len(j.selected), tmp.Name(), "-f", "mp4", "-progress", "pipe:1", "-nostats")
	cmd := exec.Command("ffmpeg", args...)
	progress, err := cmd.StdoutPipe()
	if err != nil {
		tmp.Abort()
		return err
	}
	var errs strings.Builder
	cmd.Stderr = &errs
	if err := cmd.Start(); err != nil {
		tmp.Abort()
		return fmt.Errorf("ffmpeg: %w", err)
	}
	bar := newBar(o, stderr, len(j.selected), "encoding")
	for s := bufio.NewScanner(progress); s.Scan(); {
		if v, ok := strings.CutPrefix(s.Text(), "frame="); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				bar.Set(n)
			}
		}
	}
	bar.Finish()
	if err := cmd.Wait(); err != nil {
		tmp.Abort()
		return fmt.Errorf("ffmpeg could not encode %s: %v: %s", o.video, err, strings.TrimSpace(errs.String()))
	}
	// ffmpeg wrote the file by its name: Commit's fsync on our descriptor of
	// the same file flushes what it wrote.
	return tmp.Commit()
}
