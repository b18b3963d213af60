//! Pending events: the KeyboardInterrupt flag and the `micropython.schedule` queue (spec §4.6,
//! §4.7; DESIGN.md decisions 10 and 11). In: events from Python (`schedule`), from the port's
//! input path (the interrupt character) and from interrupt handlers or other threads (through
//! a `SchedulerHandle`). Out: one `pending` flag the VM tests at its check points, and callback
//! ids taken in FIFO order.
//!
//! The shared part (`Events`) is atomics only, so it can be touched from an ISR or another
//! thread without locks or allocation. The queue is a bounded multi-producer, single-consumer
//! ring of `u32` callback ids: producers claim a position with one compare-and-swap on `tail`
//! and publish the id into the cell (Release); the VM thread is the only consumer, empties the
//! cell and then moves `head` (Release), which is what tells producers the cell is free.
//!
//! **Keeping callables alive.** No heap value ever crosses a thread: the queue holds ids only.
//! An id names either a Python-side pair (func, arg) stored by `schedule()` in the VM's
//! `Scheduler::pairs` table, or a callback registered from Rust before it is scheduled
//! (`Vm::register_callback`, `Vm::register_global_callback`), held in `Scheduler::registered`.
//! Both tables live on the VM thread and are GC roots, so nothing the queue refers to can be
//! freed while it is queued; a registered callback stays alive until the VM is dropped.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicUsize, Ordering};

use crate::value::Value;

/// Default depth of the schedule queue (MicroPython: 4, 8 on large ports).
pub const DEFAULT_DEPTH: usize = 8;
/// Ids with this bit name a Python-side pair; without it, a registered callback.
const PAIR_BIT: u32 = 1 << 31;
/// A cell holding this is empty (ids are stored plus one).
const EMPTY: u32 = 0;
/// The interrupt character while a script runs (Ctrl-C).
pub const DEFAULT_INTERRUPT_CHAR: i32 = 3;

/// The schedule queue is full (`RuntimeError: schedule queue full` on the Python side).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct QueueFull;

/// A callback registered from Rust; schedule it with `SchedulerHandle::schedule`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallbackId(u32);

impl CallbackId {
    /// The raw registry index.
    pub fn index(self) -> u32 {
        self.0
    }
}

/// The state shared between the VM and every `SchedulerHandle`: atomics only.
#[derive(Debug)]
pub struct Events {
    /// Set when a check point has work: the VM's one load and one branch (decision 10).
    pending: AtomicBool,
    /// A KeyboardInterrupt is pending.
    interrupt: AtomicBool,
    /// The character that raises KeyboardInterrupt, or -1 (`micropython.kbd_intr`).
    interrupt_char: AtomicI32,
    /// Queued ids plus one (`EMPTY` = free); length a power of two ≥ `depth`.
    cells: Vec<AtomicU32>,
    /// Positions taken so far by the consumer (wrapping).
    head: AtomicUsize,
    /// Positions claimed so far by producers (wrapping).
    tail: AtomicUsize,
    /// Most ids queued at once.
    depth: usize,
}

impl Events {
    fn new(depth: usize) -> Events {
        let depth = depth.max(1);
        let len = depth.checked_next_power_of_two().unwrap_or(depth);
        let mut cells = Vec::new();
        // Start-up allocation, outside the heap budget like the VM's stacks.
        let _ = cells.try_reserve_exact(len);
        cells.extend((0..len).map(|_| AtomicU32::new(EMPTY)));
        Events {
            pending: AtomicBool::new(false),
            interrupt: AtomicBool::new(false),
            interrupt_char: AtomicI32::new(DEFAULT_INTERRUPT_CHAR),
            depth: depth.min(cells.len()),
            cells,
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
        }
    }

    /// True when a check point has work.
    #[inline]
    pub fn is_pending(&self) -> bool {
        self.pending.load(Ordering::Acquire)
    }

    fn push(&self, id: u32) -> Result<(), QueueFull> {
        let mask = self.cells.len().wrapping_sub(1);
        let mut tail = self.tail.load(Ordering::Relaxed);
        loop {
            let head = self.head.load(Ordering::Acquire);
            if tail.wrapping_sub(head) >= self.depth {
                return Err(QueueFull);
            }
            match self.tail.compare_exchange_weak(
                tail,
                tail.wrapping_add(1),
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(now) => tail = now,
            }
        }
        // The cell is free: its previous occupant (position tail - len ≤ tail - depth < head)
        // was emptied before `head` moved past it.
        if let Some(cell) = self.cells.get(tail & mask) {
            cell.store(id.wrapping_add(1), Ordering::Release);
        }
        self.pending.store(true, Ordering::Release);
        Ok(())
    }

    /// Takes the oldest published id (consumer side; the VM thread only).
    fn pop(&self) -> Option<u32> {
        let mask = self.cells.len().wrapping_sub(1);
        let head = self.head.load(Ordering::Relaxed);
        if head == self.tail.load(Ordering::Acquire) {
            return None;
        }
        // A claimed but not yet published cell reads EMPTY: try again at the next check point
        // (its producer sets `pending` after publishing), which keeps FIFO order.
        let cell = self.cells.get(head & mask)?;
        let stored = cell.load(Ordering::Acquire);
        if stored == EMPTY {
            return None;
        }
        cell.store(EMPTY, Ordering::Relaxed);
        self.head.store(head.wrapping_add(1), Ordering::Release);
        Some(stored.wrapping_sub(1))
    }

    fn queued(&self) -> bool {
        self.head.load(Ordering::Relaxed) != self.tail.load(Ordering::Acquire)
    }

    /// Makes a KeyboardInterrupt pending; false when one already was.
    fn interrupt(&self) -> bool {
        let was = self.interrupt.swap(true, Ordering::AcqRel);
        self.pending.store(true, Ordering::Release);
        !was
    }

    fn input_byte(&self, byte: u8) -> bool {
        if self.interrupt_char.load(Ordering::Relaxed) == i32::from(byte) {
            self.interrupt();
            return true;
        }
        false
    }
}

/// A `Send + Sync` handle on a VM's events, for interrupt handlers and other threads.
/// Every method is lock-free (atomics only) and allocation-free.
#[derive(Clone, Debug)]
pub struct SchedulerHandle {
    events: Arc<Events>,
}

impl SchedulerHandle {
    /// Queues callback `id` (registered on the VM earlier); it runs at a later check point.
    pub fn schedule(&self, id: CallbackId) -> Result<(), QueueFull> {
        self.events.push(id.0)
    }

    /// Makes a KeyboardInterrupt pending, raised at the next check point. Returns false when
    /// one was already pending (the host exits on a second Ctrl-C).
    pub fn keyboard_interrupt(&self) -> bool {
        self.events.interrupt()
    }

    /// The input path of a port: compares a received byte with the interrupt character.
    /// True when it matched: the byte must be dropped and a KeyboardInterrupt is pending.
    pub fn input_byte(&self, byte: u8) -> bool {
        self.events.input_byte(byte)
    }

    /// The interrupt character now set by `micropython.kbd_intr`, or -1 when disabled.
    pub fn interrupt_char(&self) -> i32 {
        self.events.interrupt_char.load(Ordering::Relaxed)
    }
}

/// A callback registered from Rust.
#[derive(Copy, Clone, Debug)]
enum Registered {
    /// A callable and its argument (GC roots for the VM's lifetime).
    Value(Value, Value),
    /// The global of `__main__` with this interned name, looked up when it runs.
    Global(u32, Value),
}

/// The VM thread's side of the scheduler.
#[derive(Debug)]
pub struct Scheduler {
    events: Arc<Events>,
    /// (func, arg) pairs queued by `schedule()`; `Value::NULL` func = free slot.
    pairs: Vec<(Value, Value)>,
    registered: Vec<Registered>,
    /// A callback is running: no other one starts (callbacks never nest).
    locked: bool,
    /// The preallocated KeyboardInterrupt instance.
    pub keyboard_interrupt: Value,
    /// The last uncaught exception of `run_main` was a KeyboardInterrupt.
    pub interrupted: bool,
    /// Input bytes the port delivered that were not the interrupt character (for stdin).
    pub input: Vec<u8>,
}

/// Input bytes kept for a later reader; older ones are dropped beyond this.
const INPUT_KEEP: usize = 256;

/// What `Scheduler::take_due` found for a check point.
pub enum Due {
    /// Nothing to do.
    Nothing,
    /// Raise KeyboardInterrupt.
    Interrupt,
    /// Call `func(arg)`.
    Call(Value, Value),
    /// Call the `__main__` global with this interned name with `arg`.
    Global(u32, Value),
}

impl Scheduler {
    /// A scheduler with a queue of `depth` callbacks.
    pub fn new(depth: usize) -> Scheduler {
        let events = Arc::new(Events::new(depth));
        let mut pairs = Vec::new();
        let _ = pairs.try_reserve_exact(events.depth);
        pairs.resize(events.depth, (Value::NULL, Value::NULL));
        Scheduler {
            events,
            pairs,
            registered: Vec::new(),
            locked: false,
            keyboard_interrupt: Value::NONE,
            interrupted: false,
            input: Vec::new(),
        }
    }

    /// A handle for interrupt handlers and other threads.
    pub fn handle(&self) -> SchedulerHandle {
        SchedulerHandle {
            events: Arc::clone(&self.events),
        }
    }

    /// True when a check point has work.
    #[inline]
    pub fn is_pending(&self) -> bool {
        self.events.is_pending()
    }

    /// `schedule(func, arg)` from Python: no allocation.
    pub fn schedule(&mut self, func: Value, arg: Value) -> Result<(), QueueFull> {
        let slot = self
            .pairs
            .iter()
            .position(|(f, _)| f.is_null())
            .ok_or(QueueFull)?;
        let (Some(entry), Ok(id)) = (self.pairs.get_mut(slot), u32::try_from(slot)) else {
            return Err(QueueFull);
        };
        *entry = (func, arg);
        if let Err(full) = self.events.push(id | PAIR_BIT) {
            *entry = (Value::NULL, Value::NULL);
            return Err(full);
        }
        Ok(())
    }

    /// Registers `func(arg)` for `SchedulerHandle::schedule`.
    pub fn register(&mut self, func: Value, arg: Value) -> Option<CallbackId> {
        self.add(Registered::Value(func, arg))
    }

    /// Registers the `__main__` global `name_id` (interned), looked up when it runs.
    pub fn register_global(&mut self, name_id: u32, arg: Value) -> Option<CallbackId> {
        self.add(Registered::Global(name_id, arg))
    }

    fn add(&mut self, r: Registered) -> Option<CallbackId> {
        let id = u32::try_from(self.registered.len()).ok()?;
        if id & PAIR_BIT != 0 || self.registered.try_reserve(1).is_err() {
            return None;
        }
        self.registered.push(r);
        Some(CallbackId(id))
    }

    /// Sets the interrupt character (-1 disables).
    pub fn set_interrupt_char(&self, c: i32) {
        self.events.interrupt_char.store(c, Ordering::Relaxed);
    }

    /// Passes input bytes from the port through the interrupt compare.
    pub fn receive(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if !self.events.input_byte(b) {
                if self.input.len() >= INPUT_KEEP {
                    self.input.remove(0);
                }
                if self.input.try_reserve(1).is_ok() {
                    self.input.push(b);
                }
            }
        }
    }

    /// What the check point must do now: KeyboardInterrupt first, then at most one callback
    /// (removed from the queue before it runs), none while one is running.
    pub fn take_due(&mut self) -> Due {
        self.events.pending.store(false, Ordering::Release);
        if self.events.interrupt.swap(false, Ordering::AcqRel) {
            self.rearm();
            return Due::Interrupt;
        }
        if self.locked {
            return Due::Nothing;
        }
        let due = match self.events.pop() {
            None => Due::Nothing,
            Some(id) if id & PAIR_BIT != 0 => match self.pairs.get_mut((id & !PAIR_BIT) as usize) {
                Some(entry) => {
                    let (f, a) = *entry;
                    *entry = (Value::NULL, Value::NULL);
                    Due::Call(f, a)
                }
                None => Due::Nothing,
            },
            Some(id) => match self.registered.get(id as usize) {
                Some(Registered::Value(f, a)) => Due::Call(*f, *a),
                Some(Registered::Global(n, a)) => Due::Global(*n, *a),
                None => Due::Nothing,
            },
        };
        self.rearm();
        due
    }

    /// Marks a callback as running (true) or finished (false).
    pub fn set_locked(&mut self, locked: bool) {
        self.locked = locked;
        if !locked {
            self.rearm();
        }
    }

    fn rearm(&self) {
        if self.events.queued() {
            self.events.pending.store(true, Ordering::Release);
        }
    }

    /// Every heap value the scheduler holds: GC roots.
    pub fn roots(&self, add: &mut dyn FnMut(Value)) {
        add(self.keyboard_interrupt);
        for (f, a) in &self.pairs {
            if !f.is_null() {
                add(*f);
                add(*a);
            }
        }
        for r in &self.registered {
            match r {
                Registered::Value(f, a) => {
                    add(*f);
                    add(*a);
                }
                Registered::Global(_, a) => add(*a),
            }
        }
    }
}
