package deploy_test

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sdfrender/render/internal/output"
)

// TestSlurmCluster submits deploy/slurm/render-array.sbatch with sbatch to a
// Slurm cluster of one node started for the test (munged, slurmctld and slurmd
// in a temporary directory, on ports of their own), and checks what a Slurm
// user meets first: the array renders what one process renders; a task
// requeued mid-run and a task stopped by SIGTERM, as at a time limit or a
// preemption, are made good by submitting the script again; --cpus-per-task
// becomes --cores; the logs land where --output says; and render's exit code
// reaches Slurm.
//
// It needs root and Slurm's Debian packages (apt-get install slurm-wlm munge),
// and is skipped, saying why, without them or in -short mode.
func TestSlurmCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starting a Slurm cluster and rendering on it takes half a minute")
	}
	const script = "slurm/render-array.sbatch"
	bin := dockerBuild(t)
	c := startCluster(t)
	scriptPath, err := filepath.Abs(script)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("array", func(t *testing.T) {
		// The script's own --array line (8 tasks) and resources but for
		// --cpus-per-task, which asks for more cores than the test machine has;
		// 1 also differs from render's default (every core) where there are
		// two or more, so the summary shows whether the script passed it on
		// as --cores.
		job := []string{"--frames", "16", "--width", "64", "--height", "36", "--samples", "1"}
		out, logs := filepath.Join(t.TempDir(), "frames"), t.TempDir()
		id := c.sbatch(t, logs, bin, out, []string{"--cpus-per-task=1"}, scriptPath, job)
		tasks := c.wait(t, id, time.Minute)
		if len(tasks) != 8 {
			t.Fatalf("array %s ran tasks %v, want 0-7 from the script's --array line", id, tasks)
		}
		for _, task := range tasks {
			if task.State != "COMPLETED" || task.ExitCode != "0:0" {
				t.Errorf("task %s: %s, exit code %s, want COMPLETED, 0:0", task.ID, task.State, task.ExitCode)
			}
			log := readLog(t, logs, id, task.Index)
			for _, want := range []string{
				fmt.Sprintf("shard %d/8 (from SLURM_ARRAY_TASK_ID)", task.Index),
				"rendered 2 frames",
				" on 1 core,", // --cpus-per-task=1 became --cores 1
			} {
				if !strings.Contains(log, want) {
					t.Errorf("render-%s_%d.log lacks %q:\n%s", id, task.Index, want, log)
				}
			}
		}
		sameFiles(t, reference(t, bin, job...), out)
		verify(t, bin, out)
	})

	t.Run("requeue and SIGTERM", func(t *testing.T) {
		// Frames big enough that each task runs for a second or two: the
		// test catches two of them after their first frame and before their
		// last. Task k renders frames k+1, k+5 and k+9. (At 256×144 and 4
		// samples, a task of the SIMD build ran for a quarter of a second,
		// and a SIGTERM sent after its first frame came, now and then, after
		// its last.)
		const frames, shards = 12, 4
		job := []string{"--frames", strconv.Itoa(frames), "--width", "480", "--height", "270", "--samples", "8"}
		sbatchArgs := []string{"--array=0-" + strconv.Itoa(shards-1), "--cpus-per-task=1"}
		out, logs := filepath.Join(t.TempDir(), "frames"), t.TempDir()
		id := c.sbatch(t, logs, bin, out, sbatchArgs, scriptPath, job)
		frame := func(n int) bool {
			_, err := os.Stat(filepath.Join(out, fmt.Sprintf("frame_%04d.png", n)))
			return err == nil
		}
		// A frame is finished, and a resumed run skips it, once the manifest
		// records it: its file lands a moment before, and a task stopped in
		// between renders it again (a requeue there failed the test once).
		recorded := func(n int) bool {
			data, err := os.ReadFile(filepath.Join(out, output.ManifestName))
			var m output.Manifest
			if err != nil || json.Unmarshal(data, &m) != nil {
				return false
			}
			return slices.ContainsFunc(m.Frames, func(r output.FrameRecord) bool { return r.Number == n })
		}
		requeued, stopped := -1, -1
		deadline := time.Now().Add(time.Minute)
		for stopped < 0 {
			if time.Now().After(deadline) {
				t.Fatalf("array %s: no two tasks seen running with their first frame recorded and not their second written within a minute (requeued %d)", id, requeued)
			}
			for _, k := range c.running(t, id) {
				if k == requeued || !recorded(k+1) || frame(k+1+shards) {
					continue
				}
				name := fmt.Sprintf("%s_%d", id, k)
				if requeued < 0 {
					c.run(t, "scontrol", "requeue", name)
					t.Logf("requeued %s after its first frame", name)
					requeued = k
					continue
				}
				// Without --full, a signal reaches job steps only, and this
				// script has none: render is the batch step. The engine
				// signals every process at a time limit.
				//
				// scancel finds the job "in transitional state", retries
				// five seconds later and, render having exited at once,
				// says "already completing or completed" and exits 229,
				// the signal delivered. The test goes on meanwhile and
				// judges by the task's end, not by scancel's.
				scancel := exec.Command("scancel", "--full", "--signal=TERM", name)
				scancel.Env = c.env
				if err := scancel.Start(); err != nil {
					t.Fatal(err)
				}
				defer scancel.Wait()
				t.Logf("sent SIGTERM to %s after its first frame", name)
				stopped = k
				break
			}
			time.Sleep(50 * time.Millisecond)
		}

		for _, task := range c.wait(t, id, 2*time.Minute) {
			want, exit, restarts := "COMPLETED", []string{"0:0"}, 0
			switch task.Index {
			case stopped:
				// 143 is render's exit code for SIGTERM; 0:15 would be a
				// death by the signal itself.
				want, exit = "FAILED", []string{"143:0", "0:15"}
			case requeued:
				restarts = 1
				// The log (kept by --open-mode=append) tells of the
				// requeue, then of a second run that resumed: it skipped
				// what the first run finished and rendered the rest.
				log := readLog(t, logs, id, task.Index)
				if !regexp.MustCompile(`(?s)DUE TO JOB REQUEUE.*skipped .*rendered `).MatchString(log) {
					t.Errorf("render-%s_%d.log does not tell of a requeue, then of a run that skipped frames and rendered others:\n%s", id, task.Index, log)
				}
			}
			if task.State != want || !slices.Contains(exit, task.ExitCode) || task.Restarts != restarts {
				t.Errorf("task %s: %s, exit code %s, %d restarts; want %s, %s, %d\n%s", task.ID, task.State, task.ExitCode, task.Restarts,
					want, strings.Join(exit, " or "), restarts, c.logs("slurmctld", "slurmd"))
			}
		}
		missing := 0
		for n := stopped + 1; n <= frames; n += shards {
			if !frame(n) {
				missing++
			}
		}
		if missing == 0 {
			t.Fatalf("task %s_%d has every frame: SIGTERM came after its end, not mid-run", id, stopped)
		}
		if b, err := combined(exec.Command(bin, "verify", out), cmdLimit); err == nil {
			t.Errorf("render verify %s passed with %d frames of task %s_%d missing, want a failure naming them:\n%s", out, missing, id, stopped, b)
		}

		// The README's way to redo failed tasks: submit the same array again.
		again := c.sbatch(t, logs, bin, out, sbatchArgs, scriptPath, job)
		for _, task := range c.wait(t, again, time.Minute) {
			if task.State != "COMPLETED" || task.ExitCode != "0:0" {
				t.Errorf("task %s: %s, exit code %s, want COMPLETED, 0:0", task.ID, task.State, task.ExitCode)
			}
			want := fmt.Sprintf("skipped %d frames", frames/shards)
			if log := readLog(t, logs, again, task.Index); task.Index != stopped && !strings.Contains(log, want) {
				t.Errorf("render-%s_%d.log lacks %q: the finished task did not resume\n%s", again, task.Index, want, log)
			}
		}
		sameFiles(t, reference(t, bin, job...), out)
		verify(t, bin, out)
	})

	t.Run("exit code", func(t *testing.T) {
		logs := t.TempDir()
		id := c.sbatch(t, logs, bin, filepath.Join(t.TempDir(), "frames"),
			[]string{"--array=0", "--cpus-per-task=1"}, scriptPath, []string{"--scene", "no-such-scene"})
		tasks := c.wait(t, id, time.Minute)
		if len(tasks) != 1 || tasks[0].State != "FAILED" || tasks[0].ExitCode != "2:0" {
			t.Fatalf("array %s of a bad --scene: %v, want one task FAILED with exit code 2:0", id, tasks)
		}
		if log := readLog(t, logs, id, 0); !strings.Contains(log, `unknown scene "no-such-scene"`) {
			t.Errorf("render-%s_0.log does not name the bad scene:\n%s", id, log)
		}
	})
}

// cluster is a Slurm cluster of one node, this machine, whose daemons run as
// children of the test.
type cluster struct {
	dir     string
	env     []string // for Slurm's commands: this cluster's slurm.conf, no outer job's variables
	daemons []*daemon
	jobs    []string // the arrays submitted, cancelled at the end
}

// startCluster starts munged, slurmctld and slurmd in a temporary directory
// and waits for the node to be idle; it skips the test where that cannot be
// done. The cleanup cancels the jobs, stops the daemons by their pids and
// removes the directory, whatever the test's outcome.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the Slurm test runs on Linux")
	}
	for _, name := range []string{"munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo"} {
		if _, err := exec.LookPath(name); err != nil {
			t.Skipf("%s is not installed (apt-get install slurm-wlm munge): %v", name, err)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("starting slurmd and munged as they are packaged needs root")
	}
	memory, err := realMemory()
	if err != nil {
		t.Skipf("reading this machine's memory for slurm.conf: %v", err)
	}
	if memory < 2048 {
		t.Skipf("the script asks for --mem=2G; this machine has %d MB", memory)
	}

	// munged refuses a socket in a directory that others cannot search, as
	// t.TempDir is; the path stays short for the socket's 108 bytes.
	dir, err := os.MkdirTemp("", "render-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &cluster{dir: dir}

	conf := filepath.Join(dir, "slurm.conf")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLURM_") && !strings.HasPrefix(kv, "SBATCH_") && !strings.HasPrefix(kv, "SQUEUE_") {
			c.env = append(c.env, kv)
		}
	}
	c.env = append(c.env, "SLURM_CONF="+conf)

	key := filepath.Join(dir, "munge.key")
	secret := make([]byte, 1024)
	rand.Read(secret)
	if err := os.WriteFile(key, secret, 0o400); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(dir, "munge.sock")
	c.daemon(t, "munged", "--foreground", "--force", "--key-file="+key, "--socket="+socket,
		"--pid-file="+filepath.Join(dir, "munged.pid"), "--log-file="+filepath.Join(dir, "munged.log"),
		"--seed-file="+filepath.Join(dir, "munged.seed"))
	c.until(t, 10*time.Second, "munged's socket", func() bool {
		_, err := os.Stat(socket)
		return err == nil
	})

	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ = strings.Cut(host, ".") // slurmd finds its NodeName by the short name
	ports := freePorts(t, 2)
	for _, sub := range []string{"state", "spool"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(conf, []byte(slurmConf(dir, host, socket, ports, runtime.NumCPU(), memory)), 0o644); err != nil {
		t.Fatal(err)
	}
	// Cleanups run last first: the jobs are cancelled, slurmd and slurmctld
	// stop, what they left (a slurmstepd outlives its job by a second) is
	// waited for, munged stops, and the directory goes.
	t.Cleanup(func() { c.stray(t, conf) })
	c.daemon(t, "slurmctld", "-D", "-f", conf)
	c.daemon(t, "slurmd", "-D", "-f", conf, "-N", host)
	t.Cleanup(func() { c.cancel(t) })
	c.until(t, 30*time.Second, "the node to be idle in sinfo", func() bool {
		out, err := c.output("sinfo", "-h", "-N", "-o", "%T")
		return err == nil && strings.TrimSpace(out) == "idle"
	})
	return c
}

// slurmConf returns a slurm.conf for one node, this host, with everything
// Slurm writes kept in dir.
func slurmConf(dir, host, socket string, ports []int, cpus, memory int) string {
	return fmt.Sprintf(`ClusterName=render-test
SlurmctldHost=%[2]s(127.0.0.1)
SlurmctldPort=%[4]d
SlurmdPort=%[5]d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=%[3]s
StateSaveLocation=%[1]s/state
SlurmdSpoolDir=%[1]s/spool
SlurmctldPidFile=%[1]s/slurmctld.pid
SlurmdPidFile=%[1]s/slurmd.pid
SlurmctldLogFile=%[1]s/slurmctld.log
SlurmdLogFile=%[1]s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
KillWait=5
SchedulerParameters=batch_sched_delay=0
MinJobAge=3600
NodeName=%[2]s NodeAddr=127.0.0.1 CPUs=%[6]d RealMemory=%[7]d State=UNKNOWN
PartitionName=render Nodes=%[2]s Default=YES MaxTime=INFINITE State=UP
`, dir, host, socket, ports[0], ports[1], cpus, memory)
}

// realMemory returns nine tenths of this machine's memory in MB: slurmd takes
// a node that has less than slurm.conf says out of service.
func realMemory() (int, error) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "MemTotal:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kb / 1024 * 9 / 10, err
		}
	}
	return 0, errors.New("/proc/meminfo: no MemTotal line")
}

// freePorts returns n TCP ports that were free a moment ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", ":0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close() // held until all are chosen, so that they differ
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// daemon is a Slurm or munge daemon running in the foreground as a child of the test.
type daemon struct {
	name, log string
	cmd       *exec.Cmd
	done      chan struct{} // closed when it has exited
}

// daemon starts name in the foreground, its output to a file in the cluster's
// directory, and stops it by its pid at the end: SIGTERM, then SIGKILL after
// ten seconds.
func (c *cluster) daemon(t *testing.T, name string, args ...string) {
	t.Helper()
	d := &daemon{name: name, log: filepath.Join(c.dir, name+".out"), done: make(chan struct{})}
	f, err := os.Create(d.log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d.cmd = exec.Command(name, args...)
	d.cmd.Stdout, d.cmd.Stderr = f, f
	d.cmd.Env = c.env
	if err := d.cmd.Start(); err != nil {
		t.Skipf("starting %s: %v", name, err)
	}
	go func() { d.cmd.Wait(); close(d.done) }()
	c.daemons = append(c.daemons, d)
	t.Cleanup(func() {
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.done:
		case <-time.After(10 * time.Second):
			t.Errorf("%s (pid %d) still running 10s after SIGTERM: killed", name, d.cmd.Process.Pid)
			d.cmd.Process.Kill()
			<-d.done
		}
	})
}

// until polls ready every 100 ms until it is true, and skips the test, with
// the daemons' logs, if one of them exits or the timeout passes first.
func (c *cluster) until(t *testing.T, timeout time.Duration, what string, ready func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ready() {
		for _, d := range c.daemons {
			select {
			case <-d.done:
				t.Skipf("the cluster cannot start here: %s exited (%v) while waiting for %s:\n%s", d.name, d.cmd.ProcessState, what, c.logs())
			default:
			}
		}
		if time.Now().After(deadline) {
			t.Skipf("the cluster cannot start here: no %s after %v:\n%s", what, timeout, c.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logs returns the ends of the logs of the daemons named, or of all.
func (c *cluster) logs(names ...string) string {
	var b strings.Builder
	for _, d := range c.daemons {
		if len(names) > 0 && !slices.Contains(names, d.name) {
			continue
		}
		for _, path := range []string{d.log, filepath.Join(c.dir, d.name+".log")} {
			data, err := os.ReadFile(path)
			if err != nil || len(data) == 0 {
				continue
			}
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			lines = lines[max(0, len(lines)-15):]
			fmt.Fprintf(&b, "== %s\n%s\n", path, strings.Join(lines, "\n"))
		}
	}
	return b.String()
}

// output runs one of Slurm's commands against the cluster.
func (c *cluster) output(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = c.env
	out, err := combined(cmd, cmdLimit)
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// run runs one of Slurm's commands and fails the test if it fails.
func (c *cluster) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := c.output(name, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sbatch submits the script from dir, where --output puts the logs, with
// RENDER and OUT in the environment, and returns the array's job id.
func (c *cluster) sbatch(t *testing.T, dir, bin, out string, sbatchArgs []string, script string, renderArgs []string) string {
	t.Helper()
	args := append(append(append([]string{"--parsable"}, sbatchArgs...), script), renderArgs...)
	cmd := exec.Command("sbatch", args...)
	cmd.Dir = dir
	cmd.Env = append(c.env, "RENDER="+bin, "OUT="+out)
	b, err := combined(cmd, cmdLimit)
	if err != nil {
		t.Fatalf("sbatch %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	id, _, _ := strings.Cut(strings.TrimSpace(string(b)), ";") // --parsable: id[;cluster]
	c.jobs = append(c.jobs, id)
	return id
}

// running returns the indexes of the array's tasks that are running.
func (c *cluster) running(t *testing.T, id string) []int {
	t.Helper()
	var tasks []int
	for f := range strings.FieldsSeq(c.run(t, "squeue", "-h", "-r", "-j", id, "-t", "RUNNING", "-o", "%K")) {
		if k, err := strconv.Atoi(f); err == nil {
			tasks = append(tasks, k)
		}
	}
	return tasks
}

// task is one array task as scontrol shows it.
type task struct {
	ID       string // as Slurm names it: 12_3
	Index    int
	State    string
	ExitCode string // code:signal
	Restarts int
}

var field = regexp.MustCompile(`\b(ArrayJobId|ArrayTaskId|JobState|ExitCode|Restarts)=(\S+)`)

// wait waits until no task of the array is pending or running and returns
// every task by index. A requeued task waits two minutes before it is
// eligible again, Slurm's way of keeping clear of its first run: slurmd
// refuses to launch a job whose credential is from the second its last run
// was revoked in, or earlier, and the job then fails with exit code 1. wait
// starts it a second after it is first seen waiting, which is after the
// requeue: a second later, its credential is from a later second.
func (c *cluster) wait(t *testing.T, id string, timeout time.Duration) []task {
	t.Helper()
	deadline := time.Now().Add(timeout)
	waiting := map[string]time.Time{} // requeued tasks, since when they are seen waiting
	for {
		queue := strings.TrimSpace(c.run(t, "squeue", "-h", "-r", "-j", id, "-o", "%i %T %r"))
		if queue == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("array %s not done after %v; squeue:\n%s\n%s", id, timeout, queue, c.logs("slurmctld"))
		}
		for line := range strings.Lines(queue) {
			f := strings.Fields(line)
			if len(f) != 3 || f[1] != "PENDING" || f[2] != "BeginTime" {
				continue
			}
			if since, seen := waiting[f[0]]; !seen {
				waiting[f[0]] = time.Now()
			} else if time.Since(since) >= time.Second {
				c.output("scontrol", "update", "JobId="+f[0], "StartTime=now")
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	var tasks []task
	for line := range strings.Lines(c.run(t, "scontrol", "-o", "show", "job", id)) {
		var tk task
		var err error
		for _, m := range field.FindAllStringSubmatch(line, -1) {
			switch m[1] {
			case "ArrayJobId":
				tk.ID = m[2] + tk.ID
			case "ArrayTaskId":
				tk.ID += "_" + m[2]
				tk.Index, err = strconv.Atoi(m[2])
			case "JobState":
				tk.State = m[2]
			case "ExitCode":
				tk.ExitCode = m[2]
			case "Restarts":
				tk.Restarts, _ = strconv.Atoi(m[2])
			}
		}
		if err != nil {
			t.Fatalf("scontrol show job %s: %v in %s", id, err, line)
		}
		tasks = append(tasks, tk)
	}
	slices.SortFunc(tasks, func(a, b task) int { return a.Index - b.Index })
	return tasks
}

// cancel cancels every array the test submitted and waits up to 20 seconds
// for their tasks to end, so that no render is left writing.
func (c *cluster) cancel(t *testing.T) {
	if len(c.jobs) == 0 {
		return
	}
	c.output("scancel", c.jobs...)
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.output("squeue", "-h", "-r", "-j", strings.Join(c.jobs, ","), "-o", "%i %T")
		if err != nil || strings.TrimSpace(out) == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("arrays %v still in squeue 20s after scancel:\n%s", c.jobs, out)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stray waits up to ten seconds for the processes that the daemons started
// and that outlived them, slurmstepd and render, to exit, and kills those
// left. They are this cluster's by their environment, which names its
// slurm.conf: slurmstepd inherits slurmd's, and a job sbatch's.
func (c *cluster) stray(t *testing.T, conf string) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		pids := slices.DeleteFunc(processesWith("SLURM_CONF="+conf), func(pid int) bool {
			return slices.ContainsFunc(c.daemons, func(d *daemon) bool { return d.cmd.Process.Pid == pid })
		})
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("processes %v of the cluster still running 10s after it stopped: killed", pids)
			for _, pid := range pids {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// processesWith returns the pids of the processes, other than this one,
// whose environment holds the variable kv.
func processesWith(kv string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err == nil && slices.Contains(strings.Split(string(env), "\x00"), kv) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// readLog returns the log of task index of array id, where the script's
// --output line puts it: render-%A_%a.log in the directory sbatch ran in.
func readLog(t *testing.T, dir, id string, index int) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("render-%s_%d.log", id, index)))
	if err != nil {
		t.Fatalf("the script's --output=render-%%A_%%a.log: %v", err)
	}
	return string(data)
}

func verify(t *testing.T, bin, dir string) {
	t.Helper()
	if b, err := combined(exec.Command(bin, "verify", dir), cmdLimit); err != nil {
		t.Errorf("render verify %s: %v\n%s", dir, err, b)
	}
}
