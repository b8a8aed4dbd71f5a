// The live view of a render job: follows /events (see the package comment of
// render/live for the events) and draws the frame being rendered, the workers'
// lanes, the finished frames and the stats. No framework, no build step.
'use strict';

// PALETTE colours the workers by index; past its end, colours go round the hue
// circle by the golden angle so that neighbours still differ.
const PALETTE = [
  '#ff6b6b', '#4dabf7', '#51cf66', '#fcc419', '#cc5de8', '#ff922b',
  '#22d3c5', '#f06595', '#a9e34b', '#845ef7', '#74c0fc', '#ffa8a8',
];
const LANE_SECONDS = 5; // the lane chart's window
const THUMBS = 20; // finished frames shown
const FLASH_MS = 200; // a landed tile glows this long
const FRAME_BG = '#0a0b0e';

function workerColor(i) {
  return i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.508) % 360}, 70%, 62%)`;
}

// rankOf is frame's place in the job; a frame the job does not list comes after all.
function rankOf(frame) {
  return rank.has(frame) ? rank.get(frame) : rank.size;
}

const $ = (id) => document.getElementById(id);
const body = document.body;
const frameCanvas = $('frame');
const lanesCanvas = $('lanes');

let job = null; // the info event
let landed = new Map(); // "x,y" -> the tile there of the latest frame, as the canvas holds it
let rank = new Map(); // frame -> its place in the job
let inProgress = new Map(); // frame -> tiles landed, for frames not yet written
let done = new Set(); // frames written
let lastDone = null; // the frame written last
let lane = []; // tiles for the lane chart, by arrival
let tiles = 0; // tiles received since info
let lastEnd = 0; // the latest tile end, job seconds
let clock = { elapsed: 0, at: performance.now(), end: null };
let bitmap = null; // the latest /live.png
let haveV = -1; // its version
let wantV = 0; // the latest version the events announced
let fetching = false;
let dirty = true;

function setState(s) {
  body.dataset.state = s;
  $('state').textContent = s;
}

// jobNow is the job's clock in seconds, from the last stats and the local clock.
function jobNow() {
  if (clock.end !== null) return clock.end;
  const est = clock.elapsed + (performance.now() - clock.at) / 1000;
  return Math.max(est, lastEnd);
}

function fmtSeconds(s) {
  if (s < 60) return `${s.toFixed(1)} s`;
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return (h > 0 ? `${h}:` : '') + `${mm}:${String(sec).padStart(2, '0')}`;
}

// --- events

function onInfo(d) {
  job = d;
  landed = new Map();
  rank = new Map();
  d.frames.forEach((f, i) => { if (!rank.has(f)) rank.set(f, i); });
  inProgress = new Map();
  done = new Set();
  lastDone = null;
  lane = [];
  tiles = 0;
  lastEnd = 0;
  clock = { elapsed: 0, at: performance.now(), end: null };
  $('thumbs').replaceChildren();
  $('thumbs-sub').textContent = 'none yet';
  $('summary-panel').hidden = true;
  body.dataset.frames = '0';
  $('job').textContent = `${d.scene} · ${d.width}×${d.height} · ${d.frames.length} frames at ${d.fps} fps · ` +
    `${d.workers} workers · tile ${d.tile} px`;
  const legend = $('legend');
  legend.replaceChildren();
  for (let i = 0; i < d.workers; i++) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.borderColor = workerColor(i);
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = '0';
    li.append(sw, `worker ${i}`, count);
    legend.append(li);
  }

  setState('rendering');
  showDone();
  resize();
  fetchPixels();
}

function onTiles(d) {
  const now = performance.now();
  for (const t of d.tiles) {
    t.at = now;
    // A slow worker's tile of an earlier frame does not hide a later one's.
    const at = `${t.x},${t.y}`, was = landed.get(at);
    if (!was || rankOf(t.frame) >= rankOf(was.frame)) landed.set(at, t);
    if (!done.has(t.frame)) inProgress.set(t.frame, (inProgress.get(t.frame) || 0) + 1);
    lane.push(t);
    lastEnd = Math.max(lastEnd, t.end);
  }
  tiles += d.tiles.length;
  wantV = Math.max(wantV, d.v);
  fetchPixels();
  dirty = true;
}

function onFrames(d) {
  const strip = $('thumbs');
  for (const f of d.frames.slice(-THUMBS)) {
    const fig = document.createElement('figure');
    const a = document.createElement('a');
    a.href = f.url;
    a.target = '_blank';
    const img = document.createElement('img');
    img.src = f.url;
    img.alt = `frame ${f.frame}`;
    img.width = Math.round(64 * job.width / job.height);
    img.height = 64;
    a.append(img);
    const cap = document.createElement('figcaption');
    cap.textContent = f.frame;
    fig.append(a, cap);
    strip.prepend(fig); // newest first
  }
  while (strip.children.length > THUMBS) strip.lastChild.remove();
  for (const f of d.frames) {
    done.add(f.frame);
    inProgress.delete(f.frame);
  }
  body.dataset.frames = String(done.size);
  lastDone = d.frames.length > 0 ? d.frames[d.frames.length - 1].frame : lastDone;
  showDone();
  $('thumbs-sub').textContent = `the last ${Math.min(done.size, THUMBS)} of ${done.size}, newest first`;
  dirty = true;
}

// showDone shows the frames written, as the frames events tell, between stats.
function showDone() {
  const total = job.frames.length;
  $('s-frames').textContent = `${done.size} / ${total}`;
  $('s-bar').style.width = `${total > 0 ? (100 * done.size) / total : 0}%`;
}

function onStats(d) {
  clock.elapsed = d.elapsed;
  clock.at = performance.now();
  showDone();
  const counts = $('legend').querySelectorAll('.count');
  d.workers.forEach((n, i) => { if (i < counts.length) counts[i].textContent = n; });
  $('s-eta').textContent = d.eta === null ? '–' : d.eta === 0 ? 'done' : fmtSeconds(d.eta);
  $('s-elapsed').textContent = fmtSeconds(d.elapsed);
  $('s-mpxs').textContent = d.mpxs.toFixed(2);
  $('s-cpu').textContent = d.cpu === null ? 'n/a' : String(Math.round(100 * d.cpu));
  $('s-cpu-unit').hidden = d.cpu === null;
  $('s-cores').textContent = `of ${d.cores} core${d.cores === 1 ? '' : 's'} (GOMAXPROCS)`;
}

function onEnd(d) {
  clock.end = d.elapsed;
  $('summary').textContent = d.summary;
  $('summary-panel').hidden = false;
  setState('done');
  events.close(); // the job is over: no reconnecting
  dirty = true;
}

// --- pixels: one fetch at a time, again while the events announce a newer canvas

async function fetchPixels() {
  if (fetching || !job || haveV >= wantV && bitmap) return;
  fetching = true;
  let retry = 150;
  try {
    const r = await fetch('live.png', { cache: 'no-store' });
    if (!r.ok) throw new Error(`live.png: ${r.status}`);
    const v = Number(r.headers.get('X-Live-Version'));
    const bmp = await createImageBitmap(await r.blob());
    if (bitmap) bitmap.close();
    bitmap = bmp;
    haveV = v;
    dirty = true;
  } catch (e) {
    retry = 1000;
  }
  fetching = false;
  if (haveV < wantV) setTimeout(fetchPixels, retry); // the server encodes at most a few times a second
}

// --- drawing

function resize() {
  if (!job) return;
  const dpr = window.devicePixelRatio || 1;
  const box = $('frame-box');
  const scale = Math.min(box.clientWidth / job.width, Math.max(180, window.innerHeight * 0.5) / job.height);
  const w = Math.max(1, Math.floor(job.width * scale)), h = Math.max(1, Math.floor(job.height * scale));
  frameCanvas.style.width = `${w}px`;
  frameCanvas.style.height = `${h}px`;
  frameCanvas.width = Math.round(w * dpr);
  frameCanvas.height = Math.round(h * dpr);

  const rows = Math.min(240, Math.max(72, job.workers * 18));
  const lw = lanesCanvas.clientWidth;
  lanesCanvas.style.height = `${rows + 20}px`;
  lanesCanvas.width = Math.round(lw * dpr);
  lanesCanvas.height = Math.round((rows + 20) * dpr);
  dirty = true;
}

function currentFrame() {
  let f = null;
  for (const n of inProgress.keys()) if (f === null || n > f) f = n;
  return f;
}

function drawFrame(now) {
  const c = frameCanvas, ctx = c.getContext('2d');
  const s = c.width / job.width;
  ctx.fillStyle = FRAME_BG;
  ctx.fillRect(0, 0, c.width, c.height);
  if (bitmap) {
    ctx.imageSmoothingEnabled = s < 1;
    ctx.drawImage(bitmap, 0, 0, c.width, c.height);
  }
  const bold = Math.max(2, Math.round(2 * (window.devicePixelRatio || 1)));
  let glowing = false;
  for (const t of landed.values()) {
    const x0 = Math.round(t.x * s), y0 = Math.round(t.y * s);
    const x1 = Math.round((t.x + t.w) * s), y1 = Math.round((t.y + t.h) * s);
    const color = workerColor(t.worker);
    const age = now - t.at;
    if (age < FLASH_MS) {
      glowing = true;
      ctx.globalAlpha = 0.12 * (1 - age / FLASH_MS);
      ctx.fillStyle = color;
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
    // Tiles of frames in progress get a bold outline, tiles of written frames a faint one.
    const active = !done.has(t.frame);
    const lw = active ? bold : 1;
    ctx.globalAlpha = active ? 1 : 0.3;
    ctx.lineWidth = lw;
    ctx.strokeStyle = color;
    if (x1 - x0 > lw && y1 - y0 > lw) ctx.strokeRect(x0 + lw / 2, y0 + lw / 2, x1 - x0 - lw, y1 - y0 - lw);
  }
  ctx.globalAlpha = 1;

  const f = currentFrame();
  if (f !== null) {
    $('frame-title').textContent = `Frame ${f}`;
    const more = inProgress.size > 1 ? ` · ${inProgress.size} frames in progress` : '';
    $('frame-sub').textContent = `${inProgress.get(f)} of ${job.tilesPerFrame} tiles${more}`;
  } else if (lastDone !== null) {
    $('frame-title').textContent = `Frame ${lastDone}`;
    $('frame-sub').textContent = body.dataset.state === 'done' ? 'all frames written' : 'waiting for tiles';
  }
  body.dataset.tiles = String(tiles);
  body.dataset.version = String(Math.max(haveV, 0));
  return glowing;
}

function drawLanes() {
  const c = lanesCanvas, ctx = c.getContext('2d');
  const dpr = window.devicePixelRatio || 1;
  const W = c.width, H = c.height;
  const axis = 20 * dpr, gutter = 70 * dpr, right = 8 * dpr;
  const plotW = W - gutter - right, plotH = H - axis;
  const n = Math.max(1, job.workers);
  const rowH = plotH / n;
  const now = jobNow(), t0 = now - LANE_SECONDS;
  const xOf = (t) => gutter + ((t - t0) / LANE_SECONDS) * plotW;

  ctx.clearRect(0, 0, W, H);
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      ctx.fillStyle = 'rgba(255,255,255,0.03)';
      ctx.fillRect(gutter, i * rowH, plotW, rowH);
    }
    if (rowH >= 9 * dpr) {
      ctx.fillStyle = workerColor(i);
      ctx.fillText(`worker ${i}`, 6 * dpr, (i + 0.5) * rowH);
    }
  }
  // A line and a label every second, counting back from now.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  for (let k = 0; k <= LANE_SECONDS; k++) {
    const x = Math.round(xOf(now - k)) + 0.5;
    ctx.strokeStyle = 'rgba(255,255,255,0.10)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, plotH);
    ctx.stroke();
    ctx.fillStyle = '#8a91a3';
    ctx.fillText(k === 0 ? 'now' : `−${k} s`, Math.min(Math.max(x, gutter + 12 * dpr), W - 14 * dpr), H - 5 * dpr);
  }
  ctx.textAlign = 'start';

  ctx.save();
  ctx.beginPath();
  ctx.rect(gutter, 0, plotW, plotH);
  ctx.clip();
  const pad = rowH > 6 * dpr ? 1.5 * dpr : 0;
  for (const t of lane) {
    if (t.end < t0) continue;
    const x0 = xOf(t.start), x1 = xOf(t.end);
    const w = x1 - x0 > 3 * dpr ? x1 - x0 - dpr : Math.max(dpr, x1 - x0); // a hair of gap between tiles
    ctx.fillStyle = workerColor(t.worker);
    ctx.fillRect(x0, t.worker * rowH + pad, w, rowH - 2 * pad);
  }
  ctx.restore();
  // Forget what scrolled out, in one go now and then rather than per frame.
  if (lane.length > 512 && lane[0].end < t0 - 1) lane = lane.filter((t) => t.end >= t0);
}

let glowing = false;
function loop(now) {
  if (job) {
    const changed = dirty;
    if (dirty || glowing) {
      dirty = false;
      glowing = drawFrame(now);
    }
    if (changed || body.dataset.state !== 'done') drawLanes(); // it scrolls while the job runs
  }
  requestAnimationFrame(loop);
}

window.addEventListener('resize', resize);
requestAnimationFrame(loop);

const events = new EventSource('events');
const on = (name, f) => events.addEventListener(name, (e) => f(JSON.parse(e.data)));
on('info', onInfo);
on('tiles', onTiles);
on('frames', onFrames);
on('stats', onStats);
on('end', onEnd);
events.onerror = () => {
  // The browser reconnects by itself after a dropped stream, and catches up; it
  // gives up only when the server answers with an error, as it does once closed.
  if (body.dataset.state === 'done') return;
  setState(events.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting');
};
