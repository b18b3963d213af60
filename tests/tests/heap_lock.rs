//! Allocation discipline (spec §4.4, DESIGN.md decision 9), driven by compiled programs. In:
//! programs exercising the hot paths, run with and without the heap lock. Out: assertions
//! that the hot paths charge the heap nothing at all (`mem_total()` does not move, so no
//! allocation is even attempted), that they give the same results locked, and that paths
//! which must allocate are refused with the locked MemoryError and leave their object intact.

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};

fn run(source: &str) -> (String, String) {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let mut vm = Vm::new(CapturePort::default(), Config::DEVICE);
    let _ = vm.run_main(ImageBytes::Shared(image.into()));
    let port = vm.into_port();
    (
        String::from_utf8(port.stdout).unwrap(),
        String::from_utf8(port.stderr).unwrap(),
    )
}

/// Functions whose calls must allocate nothing, and `hot(n)` calling them all.
const HOT: &str = "import micropython
class Acc:
    def __init__(self):
        self.n = 0
    def add(self, k):
        self.n = self.n + k
        return self.n
def scale(a, b=3, *, c=1):
    return a * b + c
def mix(x, y=0.5):
    return x * y - 0.25
def hot(n, acc, err, out):
    t = 0
    for i in range(n):
        t += scale(i) + scale(i, 2) + scale(i, c=5) + scale(b=1, a=i)
    for k in (1, 2, 3):
        t -= k
        acc.add(k)
    j = 0
    while j < 3:
        j += 1
        t = (t ^ j) << 1 >> 1
    a, b = (4, 5)
    t = t + a * b - (t % 7) + (-t // 3)
    # Cleared, the storage its first raise got is reused: raising allocates nothing.
    err.__traceback__ = None
    try:
        raise err
    except ValueError:
        t += 1
    out[0] = t
    out[1] = mix(1.5) + mix(2.0, y=4.0)
    return (1, 2, 3)
acc = Acc()
err = ValueError('pre')
out = [0, 0.0]
r = None
before = 0
hot(2, acc, err, out)
";

#[test]
fn hot_paths_charge_the_heap_nothing() {
    let source = format!(
        "{HOT}
before = micropython.mem_total()
r = hot(50, acc, err, out)
print(micropython.mem_total() - before, r, out, acc.n)
"
    );
    let (stdout, stderr) = run(&source);
    assert_eq!(stderr, "");
    assert!(stdout.starts_with("0 (1, 2, 3) ["), "{stdout}");
}

#[test]
fn hot_paths_give_the_same_results_with_the_heap_locked() {
    let free = format!("{HOT}\nr = hot(50, acc, err, out)\nprint(r, out, acc.n)\n");
    let locked = format!(
        "{HOT}
micropython.heap_lock()
r = hot(50, acc, err, out)
micropython.heap_unlock()
print(r, out, acc.n)
"
    );
    let (a, a_err) = run(&free);
    let (b, b_err) = run(&locked);
    assert_eq!((a_err.as_str(), b_err.as_str()), ("", ""));
    assert_eq!(a, b);
    assert!(a.starts_with("(1, 2, 3) ["), "{a}");
}

#[test]
fn refused_growth_leaves_objects_intact_and_charges_nothing() {
    let source = locked_calls(
        "l = [1, 2, 3, 4]
s = 'abc'
d = {}
def grow():
    for i in range(100):
        d[i] = i
fs = (lambda: l.append(5), lambda: l.extend(l), lambda: s + s, grow, lambda: l * 2)
",
        "print(l, len(d) < 100, s)\n",
    );
    let (stdout, stderr) = run(&source);
    assert_eq!(stderr, "");
    let refused = "memory allocation failed, heap is locked\n";
    assert_eq!(
        stdout,
        format!("{}0 0\n[1, 2, 3, 4] True abc\n", refused.repeat(5))
    );
}

/// The embedded use of a bytearray (spec §4.4): allocate the buffer and its views first, then
/// fill and read it in a locked section. Nothing there may charge the heap.
#[test]
fn a_preallocated_bytearray_is_filled_and_read_with_the_heap_locked() {
    let source = "import micropython
ba = bytearray(8)
mv = memoryview(ba)
src = b'abcd'
n = total = used = 0
eq = lt = has = False
micropython.heap_lock()
total = micropython.mem_total()
used = micropython.mem_current()
ba[0:4] = src
mv[4:6] = b'xy'
ba[6] = 1
mv[7] = 2
mv[-1] = mv[-1] + 1
for x in ba:
    n += x
n += len(ba) + len(mv) + ba[0] + mv[4]
eq = ba == b'abcdxy\\x01\\x03' and mv == ba
lt = ba < b'b' and not (src >= ba)
has = 120 in ba and b'cd' in ba and 1 in mv
ba.reverse()
ba.reverse()
x = ba.pop()
ba.append(x)
total = micropython.mem_total() - total
used = micropython.mem_current() - used
micropython.heap_unlock()
print(ba, n, eq, lt, has, total, used)
";
    let (stdout, stderr) = run(source);
    assert_eq!(stderr, "");
    let sum: u32 = b"abcdxy".iter().map(|b| u32::from(*b)).sum::<u32>() + 1 + 3;
    let n = sum + 8 + 8 + u32::from(b'a') + u32::from(b'x');
    assert_eq!(
        stdout,
        format!("bytearray(b'abcdxy\\x01\\x03') {n} True True True 0 0\n")
    );
}

#[test]
fn creating_or_growing_a_bytearray_is_refused_with_the_heap_locked() {
    let source = locked_calls(
        "ba = bytearray(b'abcd')
def add():
    global ba
    ba += b'x'
def assign():
    ba[0:0] = b'x'
fs = (lambda: bytearray(4), lambda: bytearray(), lambda: bytearray(b'q'),
      lambda: ba.append(1), lambda: ba.extend(b'x'), add, assign, lambda: ba.insert(0, 1),
      lambda: ba * 2, lambda: ba + b'x', lambda: bytes(ba), lambda: ba[1:3],
      lambda: memoryview(ba), lambda: ba.copy())
",
        "print(ba, len(ba))\nba.append(1)\nprint(ba)\n",
    );
    let (stdout, stderr) = run(&source);
    assert_eq!(stderr, "");
    let refused = "memory allocation failed, heap is locked\n";
    assert_eq!(
        stdout,
        format!(
            "{}0 0\nbytearray(b'abcd') 4\nbytearray(b'abcd\\x01')\n",
            refused.repeat(14)
        )
    );
}

/// A program that runs `setup` (which defines the tuple `fs` of calls), calls each with the
/// heap locked printing 'ran' or the MemoryError, prints what the heap figures moved by, then
/// unlocks and runs `after`.
fn locked_calls(setup: &str, after: &str) -> String {
    format!("import micropython\nused = total = 0\ne = f = None\n{setup}{LOCKED_LOOP}{after}")
}

const LOCKED_LOOP: &str = "micropython.heap_lock()
used = micropython.mem_current()
total = micropython.mem_total()
for f in fs:
    try:
        f()
        print('ran')
    except MemoryError as e:
        print(e)
print(micropython.mem_current() - used, micropython.mem_total() - total)
micropython.heap_unlock()
";
