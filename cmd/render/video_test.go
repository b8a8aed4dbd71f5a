package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestVideo(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg is not installed here (.ci/run installs it with apt-get where it can)")
	}
	dir := t.TempDir()
	video := filepath.Join(dir, "clip.mp4")
	code, _, stderr := renderCLI(t, "--frames", "6", "--width", "64", "--height", "36", "--fps", "24", "--out", filepath.Join(dir, "frames"), "-q", "--video", video)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := exec.LookPath("ffprobe"); err != nil {
		data, _ := os.ReadFile(video)
		if len(data) < 12 || string(data[4:8]) != "ftyp" {
			t.Errorf("%s is not an MP4 file", video)
		}
		return
	}
	out, err := bounded(t, cmdLimit, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
		"stream=codec_name,width,height,pix_fmt,r_frame_rate,nb_read_frames", "-of", "default=nw=1", video).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", video, err)
	}
	for _, want := range []string{"codec_name=h264", "width=64", "height=36", "pix_fmt=yuv420p", "r_frame_rate=24/1", "nb_read_frames=6"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ffprobe says %q, want %s", out, want)
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".*")); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestVideoWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no ffmpeg here
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := renderCLI(t, "--frames", "2", "--out", out, "--video", filepath.Join(t.TempDir(), "v.mp4"))
	if code != exitUsage || !strings.Contains(stderr, "apt-get install ffmpeg") || !strings.Contains(stderr, "-c:v libx264 -pix_fmt yuv420p") {
		t.Errorf("exit %d, stderr %q; want %d, how to install ffmpeg and the command to encode later", code, stderr, exitUsage)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("frames were rendered though the video could not be made")
	}
}
