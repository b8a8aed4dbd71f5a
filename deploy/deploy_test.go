// Package deploy_test checks the deployment examples as far as a machine
// without Docker, Kubernetes or Slurm allows: the Dockerfile's build command
// makes a static binary, and the Kubernetes Job and the Slurm script, run as
// their engines would run them (one process per index, with the engine's
// environment), render exactly what one process renders. Where Slurm is
// installed, slurm_test.go also submits the Slurm script to a real cluster of
// one node, started for the test.
package deploy_test

import (
	"bufio"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// tiny overrides the examples' job, which takes minutes, with one that takes a
// blink; flags given later win.
var tiny = []string{"--frames", "16", "--width", "48", "--height", "27", "--samples", "1", "--quiet"}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// dockerBuild runs the Dockerfile's build command here and returns the binary.
func dockerBuild(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the image is linux/amd64 or linux/arm64")
	}
	buildOnce.Do(func() {
		binary = filepath.Join(os.TempDir(), "render-deploy-test-"+strconv.Itoa(os.Getpid()))
		line, err := buildLine()
		if err != nil {
			buildErr = err
			return
		}
		// The command as the image runs it, writing here instead of /out.
		cmd := exec.Command("sh", "-c", strings.Replace(line, "-o /out/render", "-o "+binary, 1))
		cmd.Dir = ".."
		if out, err := combined(cmd, buildLimit); err != nil {
			buildErr = fmt.Errorf("%s: %v\n%s", line, err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		os.Remove(binary)
	}
	os.Exit(code)
}

// buildLine returns the command of the Dockerfile's RUN line that builds the binary.
func buildLine() (string, error) {
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		return "", err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "RUN "); ok && strings.Contains(rest, "go build") {
			return rest, nil
		}
	}
	return "", errors.New("Dockerfile: no RUN line with go build")
}

func TestDockerfile(t *testing.T) {
	data, _ := os.ReadFile("../Dockerfile")
	text := string(data)
	gomod, _ := os.ReadFile("../go.mod")
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	for _, want := range []string{
		"FROM golang:" + string(goVersion[1]) + " AS build", // the toolchain go.mod asks for
		"CGO_ENABLED=0",
		"-o /out/render",
		"FROM scratch",
		"COPY --from=build /out/render /render",
		`ENTRYPOINT ["/render"]`,
		"USER 65532:65532",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	bin := dockerBuild(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary names a dynamic loader: it cannot run on scratch")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v: it cannot run on scratch", libs)
	}
	if out, err := combined(exec.Command(bin, "scenes"), cmdLimit); err != nil || !strings.Contains(string(out), "showcase") {
		t.Errorf("render scenes: %v\n%s", err, out)
	}
	// An amd64 image carries the AVX2 kernel: its Go version names the
	// experiment it was built with.
	if runtime.GOARCH == "amd64" {
		out, err := combined(exec.Command(bin, "--version"), cmdLimit)
		if err != nil || !strings.Contains(string(out), "X:simd") {
			t.Errorf("render --version = %q (%v), want a GOEXPERIMENT=simd build on amd64", out, err)
		}
	}
}

// reference renders the job in one process, for the examples to match.
func reference(t *testing.T, bin string, job ...string) string {
	dir := t.TempDir()
	if out, err := combined(exec.Command(bin, append([]string{"--scene", "showcase", "--out", dir}, job...)...), cmdLimit); err != nil {
		t.Fatalf("render: %v\n%s", err, out)
	}
	return dir
}

// sameFiles checks that dirs a and b hold the same files with the same bytes.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	ea, _ := os.ReadDir(a)
	eb, _ := os.ReadDir(b)
	if len(ea) != len(eb) || len(ea) < 3 {
		t.Fatalf("%s holds %d files, %s %d: want the same, at least the frames and the manifest", a, len(ea), b, len(eb))
	}
	for i, e := range ea {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, _ := os.ReadFile(filepath.Join(b, eb[i].Name()))
		if e.Name() != eb[i].Name() || !bytes.Equal(x, y) {
			t.Errorf("%s: not the same bytes as %s", filepath.Join(b, eb[i].Name()), filepath.Join(a, e.Name()))
		}
	}
}

// runAll starts one process per environment, at most parallel at once, and
// waits for them all.
func runAll(t *testing.T, parallel int, envs [][]string, name string, args ...string) {
	t.Helper()
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, env := range envs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			cmd := exec.Command(name, args...)
			cmd.Env = append(os.Environ(), env...)
			if out, err := combined(cmd, cmdLimit); err != nil {
				t.Errorf("%v %s: %v\n%s", env, name, err, out)
			}
		})
	}
	wg.Wait()
}

// kube is the part of a Kubernetes manifest the test reads.
type kube struct {
	Kind     string
	Metadata struct{ Name string }
	Spec     struct {
		AccessModes          []string `yaml:"accessModes"`
		CompletionMode       string   `yaml:"completionMode"`
		Completions          int
		Parallelism          int
		BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
		PodReplacementPolicy string `yaml:"podReplacementPolicy"`
		Template             struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Args         []string
					Env          []struct{ Name, Value string }
					VolumeMounts []struct {
						Name      string
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				}
				Volumes []struct {
					Name                  string
					PersistentVolumeClaim struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				}
			}
		}
	}
}

func readKube(t *testing.T, path string) []kube {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []kube
	dec := yaml.NewDecoder(bufio.NewReader(f))
	for {
		var k kube
		if err := dec.Decode(&k); err != nil {
			if errors.Is(err, io.EOF) {
				return docs
			}
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, k)
	}
}

// outArg returns the value of --out in args, where it is.
func outArg(args []string) (string, int) {
	for i, a := range args {
		if a == "--out" && i+1 < len(args) {
			return args[i+1], i + 1
		}
	}
	return "", -1
}

// TestKubernetesJob checks the Indexed Job's settings, then runs its container
// as Kubernetes would: one process per completion index, parallelism at once,
// each with JOB_COMPLETION_INDEX and the manifest's environment, into one
// directory standing for the shared volume; then runs the verify Job's command.
func TestKubernetesJob(t *testing.T) {
	docs := readKube(t, "kubernetes/render-job.yaml")
	if len(docs) != 2 || docs[0].Kind != "PersistentVolumeClaim" || docs[1].Kind != "Job" {
		t.Fatalf("render-job.yaml holds %d documents, want a PersistentVolumeClaim and a Job", len(docs))
	}
	pvc, job := docs[0], docs[1].Spec
	pod := job.Template.Spec
	c := pod.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	switch {
	case job.CompletionMode != "Indexed":
		t.Errorf("completionMode %q, want Indexed: it gives each pod JOB_COMPLETION_INDEX", job.CompletionMode)
	case env["RENDER_SHARDS"] != strconv.Itoa(job.Completions):
		t.Errorf("RENDER_SHARDS %q, completions %d: want them equal, or frames go unrendered", env["RENDER_SHARDS"], job.Completions)
	case job.BackoffLimitPerIndex == nil || pod.RestartPolicy != "Never":
		t.Error("want backoffLimitPerIndex, which needs restartPolicy Never")
	case job.PodReplacementPolicy != "Failed":
		t.Error("want podReplacementPolicy Failed, so that no two pods render one shard at once")
	case len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != "ReadWriteMany":
		t.Errorf("the claim's access modes are %v, want ReadWriteMany: every pod writes at once", pvc.Spec.AccessModes)
	case pod.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Metadata.Name || c.VolumeMounts[0].Name != pod.Volumes[0].Name:
		t.Error("the pods do not mount the claim")
	}
	out, at := outArg(c.Args)
	mount := c.VolumeMounts[0].MountPath
	if !strings.HasPrefix(out, mount+"/") {
		t.Fatalf("--out %q is not on the volume mounted at %s", out, mount)
	}

	bin := dockerBuild(t)
	volume := t.TempDir()
	args := append([]string(nil), c.Args...)
	args[at] = filepath.Join(volume, strings.TrimPrefix(out, mount))
	var envs [][]string
	for i := range job.Completions {
		e := []string{"JOB_COMPLETION_INDEX=" + strconv.Itoa(i)}
		for k, v := range env {
			e = append(e, k+"="+v)
		}
		envs = append(envs, e)
	}
	runAll(t, job.Parallelism, envs, bin, append(args, tiny...)...)
	sameFiles(t, reference(t, bin, tiny...), args[at])

	verify := readKube(t, "kubernetes/render-verify.yaml")[0].Spec.Template.Spec
	vargs := verify.Containers[0].Args
	if verify.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Metadata.Name || len(vargs) != 2 || vargs[0] != "verify" || vargs[1] != out {
		t.Fatalf("render-verify.yaml runs %v on claim %q, want verify %s on %s", vargs, verify.Volumes[0].PersistentVolumeClaim.ClaimName, out, pvc.Metadata.Name)
	}
	if b, err := combined(exec.Command(bin, "verify", args[at]), cmdLimit); err != nil {
		t.Errorf("render verify: %v\n%s", err, b)
	}
}

// TestSlurmScript runs the batch script as a Slurm array would: once per task
// of its --array line, all at once, with the variables Slurm sets.
func TestSlurmScript(t *testing.T) {
	const script = "slurm/render-array.sbatch"
	if out, err := combined(exec.Command("bash", "-n", script), cmdLimit); err != nil {
		t.Fatalf("bash -n %s: %v\n%s", script, err, out)
	}
	data, _ := os.ReadFile(script)
	m := regexp.MustCompile(`(?m)^#SBATCH --array=(\d+)-(\d+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s: no #SBATCH --array=A-B line", script)
	}
	first, _ := strconv.Atoi(string(m[1]))
	last, _ := strconv.Atoi(string(m[2]))
	bin := dockerBuild(t)
	out := filepath.Join(t.TempDir(), "showcase")
	var envs [][]string
	for id := first; id <= last; id++ {
		envs = append(envs, []string{
			"SLURM_ARRAY_TASK_ID=" + strconv.Itoa(id), "SLURM_ARRAY_TASK_MIN=" + strconv.Itoa(first),
			"SLURM_ARRAY_TASK_COUNT=" + strconv.Itoa(last-first+1), "SLURM_CPUS_PER_TASK=1",
			"RENDER=" + bin, "OUT=" + out,
		})
	}
	runAll(t, len(envs), envs, "bash", append([]string{script}, tiny...)...)
	sameFiles(t, reference(t, bin, tiny...), out)
	if b, err := combined(exec.Command(bin, "verify", out), cmdLimit); err != nil {
		t.Errorf("render verify: %v\n%s", err, b)
	}
}
