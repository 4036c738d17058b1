//! The per-request decision allocates nothing: counted with a global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use actix_allow_cidr::AllowedHosts;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers every call to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn checking_a_host_allocates_nothing() {
    let allowed = AllowedHosts::builder()
        .hosts(["localhost", ".example.com", "[::1]", "192.0.2.1"])
        .nets(["10.0.0.0/8", "fd00::/8"])
        .build()
        .unwrap();
    let policy = allowed.snapshot();
    let hosts = [
        "localhost:8080",
        "API.EU.Example.com.:8443",
        "10.1.2.3:8000",
        "[fd00::1]:80",
        "[::ffff:10.0.0.1]",
        "evil.com",
        "a..b",
        "[zz]",
        "x@y",
    ];
    // The counter works: one String is one allocation.
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(String::from("x")))),
        1
    );
    // Warm up thread-locals and lazies first.
    for host in hosts {
        let _ = policy.check(host);
    }
    for host in hosts {
        let count = allocations_during(|| {
            let _ = std::hint::black_box(policy.check(std::hint::black_box(host)));
        });
        assert_eq!(count, 0, "checking {host:?} allocated");
    }
}
