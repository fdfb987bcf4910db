#!/usr/bin/env python3
# The host side of tests/Boot/cheetah-kernel.test: Cheetah's live kernel page. Fetches
# /kernel/state.json while holdframes holds nothing, again once it has allocated and mapped its
# frames, and again after it freed them; decodes the frame table's runs and checks that exactly
# holdframes' frames (the ones it printed) went from 0 references to 1 and back, and that the
# fetches came in the right order (the JSON's tick against the ticks holdframes printed). Then
# /kernel: served as text/html, not cached, polling the JSON. With Debian's chromium,
# chromium-driver and python3-selenium installed, loads /kernel headless, waits for it to draw
# and saves a screenshot (SHOT); otherwise says it skipped that.
# usage: tools/cheetah-kernel.py LOG PORT SHOT
import json, re, subprocess, sys, time

log, port, shot = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base = f"http://127.0.0.1:{port}"

def wait_for(pattern, seconds=90):
    """The first match of the regular expression in the serial log (None after seconds)."""
    end = time.time() + seconds
    while time.time() < end:
        try:
            m = re.search(pattern, open(log, errors="replace").read())
            if m:
                return m
        except OSError:
            pass
        time.sleep(0.1)
    return None

def get(path):
    """(status line, fields with lower-case names, body) of one GET by curl."""
    r = subprocess.run(["curl", "-s", "--max-time", "20", "-D", "/dev/stdout", "-o", "/dev/stderr", base + path], capture_output=True)
    lines = r.stdout.decode("latin-1").split("\r\n")
    fields = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip().lower()] = v.strip()
    return lines[0], fields, r.stderr

def frames_of(state):
    """The frame table as a list of reference counts, from the runs."""
    f = state["frames"]
    out = []
    runs = f["runs"]
    for i in range(0, len(runs), 2):
        out += [runs[i]] * runs[i + 1]
    return out

def state(label):
    status, fields, body = get("/kernel/state.json")
    s = json.loads(body)
    print(f"host: {label}: {status}, {fields.get('content-type')}, Cache-Control {fields.get('cache-control')}, "
          f"{len(body)} bytes, tick {s['ticks']}, {len(s['envs'])} live environments, "
          f"{s['frames']['count']} frames in {len(s['frames']['runs']) // 2} runs, {s['frames']['held']} held")
    return s

if not wait_for(r"cheetah: ready", 90) or not (m0 := wait_for(r"holdframes: tick (\d+): holding none of my own; (\d+) frames")):
    print("host: never said ready")
    sys.exit(1)
n = int(m0.group(2))
a = state("before")
m1 = wait_for(r"holdframes: tick (\d+): allocated and mapped")
if not m1:
    print("host: holdframes never allocated")
    sys.exit(1)
allocated_at = int(m1.group(1))
mine = []
end = time.time() + 20
while len(mine) < n and time.time() < end:       # its frames, as runs, on the lines after
    mine = []
    for first, last in re.findall(r"(\d+)-(\d+)", "".join(re.findall(r"holdframes: frames ([\d\- ]+)", open(log, errors="replace").read()))):
        mine += range(int(first), int(last) + 1)
    time.sleep(0.1)
b = state("holding")
fa, fb = frames_of(a), frames_of(b)
order = a["ticks"] < allocated_at < b["ticks"]
print(f"host: fetched before and after the allocation: tick {a['ticks']} < {allocated_at} < {b['ticks']}: {'ok' if order else 'WRONG'}")
taken = sum(1 for f in mine if fa[f] == 0 and fb[f] == 1)
others = sum(1 for f in range(len(fa)) if f not in set(mine) and (fa[f] == 0) != (fb[f] == 0))
print(f"host: holdframes' {len(mine)} frames (it allocated {n}): {taken} went from 0 references to 1 "
      f"{'ok' if taken == n == len(mine) else 'WRONG'}; held {a['frames']['held']} -> {b['frames']['held']} "
      f"({b['frames']['held'] - a['frames']['held']:+d}); {others} other frames changed between free and held")
me = [e for e in b["envs"] if e[0] not in [x[0] for x in a["envs"]]]
print(f"host: environment table: {len(a['envs'])} live before, {len(b['envs'])} while holding; slotted {b['slotted']}; "
      f"disk {b['disk']['blocks'] if b['disk'] else 'none'} blocks (classes {b['disk']['classes'] if b['disk'] else '-'})")

status, fields, page = get("/kernel")
print(f"host: GET /kernel -> {status}, {fields.get('content-type')}, Cache-Control {fields.get('cache-control')}, {len(page)} bytes, "
      f"polls /kernel/state.json: {b'/kernel/state.json' in page}, external resources: {bool(re.search(rb'(src|href)=.(https?:)?//', page))}")

# Measured: 50 fetches of the JSON one after another on one keep-alive connection.
r = subprocess.run(["curl", "-s", "--max-time", "60", *sum([["-o", "/dev/null", base + "/kernel/state.json"] for _ in range(50)], []),
                    "-w", "%{http_code} %{num_connects} %{time_total}\\n"], capture_output=True)
rows = [l.split() for l in r.stdout.decode().splitlines()]
times = sorted(float(t) for _, _, t in rows)
print(f"host: 50 fetches of /kernel/state.json on one connection: {sum(1 for c, _, _ in rows if c == '200')} answered 200, "
      f"{sum(int(k) for _, k, _ in rows)} connection(s) opened, {1000 * times[len(times) // 2]:.1f} ms median, {1000 * times[-1]:.1f} ms longest")

try:
    try:
        from selenium import webdriver
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")     # Debian's python3-selenium, under another python3
        from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for o in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,1500"):
        options.add_argument(o)
    started = time.time()
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(base + "/kernel")
        text = ""
        while time.time() < started + 30 and " held" not in text:
            text = driver.find_element("id", "fsum").text
            time.sleep(0.2)
        time.sleep(1.5)                                   # a second poll, so changed frames are outlined
        driver.save_screenshot(shot)
        drawn = driver.execute_script("var c=document.getElementById('frames');var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data;"
                                      "var n=0;for(var i=0;i<d.length;i+=4)if(d[i]==0x33&&d[i+1]==0xbb&&d[i+2]==0x33)n++;return [c.width,c.height,n];")
        text = driver.find_element("id", "fsum").text
        good = " held" in text and drawn[2] > 0
        print(f"host: chromium: /kernel drew '{text}'; canvas {drawn[0]}x{drawn[1]}, "
              f"{drawn[2]} pixels in the one-reference colour {'ok' if good else 'WRONG'}; screenshot {shot} ({time.time() - started:.1f} s)")
    finally:
        driver.quit()
except ImportError:
    print("host: chromium: skipped (python3-selenium, chromium and chromium-driver are not installed)")
except Exception as e:
    print(f"host: chromium: failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} WRONG")

if not (m2 := wait_for(r"holdframes: tick (\d+): freed them", 30)):
    print("host: holdframes never freed its frames")
    sys.exit(1)
c = state("after freeing")
fc = frames_of(c)
back = sum(1 for f in mine if fc[f] == 0)
# The allocator hands out recently freed frames first: a frame another environment took since
# (a growing heap) reads 1 again, and the others' holdings grew by at least as many.
grown = max(0, c['frames']['held'] - a['frames']['held'])
print(f"host: after freeing (tick {m2.group(1)} < {c['ticks']}: {'ok' if int(m2.group(1)) < c['ticks'] else 'WRONG'}): "
      f"{back} of holdframes' {len(mine)} frames read 0 again, {len(mine) - back} taken since by others, who grew by {grown} "
      f"{'ok' if back > 0 and len(mine) - back <= grown else 'WRONG'}; held {c['frames']['held']}")
