//! Work shared over the machine's cores inside one stage: a map whose items are independent,
//! its results in the items' order whatever thread made them.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads that share one map at most: its items are small, and more would contend for memory.
const MAX_THREADS: usize = 4;

/// Items taken at a time by a thread: enough that taking them costs nothing next to the work.
const CHUNK: usize = 32;

/// `f` of every item, in order, made on this thread and as many more as the machine has cores
/// (up to [`MAX_THREADS`]), each taking the next `CHUNK` items until none are left.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS);
    if threads < 2 || items.len() <= CHUNK {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= items.len() {
                break done;
            }
            let end = (start + CHUNK).min(items.len());
            done.push((start, items[start..end].iter().map(&f).collect::<Vec<R>>()));
        }
    };
    let mut chunks = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut chunks = work();
        for helper in helpers {
            chunks.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        chunks
    });
    chunks.sort_unstable_by_key(|(start, _)| *start);
    chunks.into_iter().flat_map(|(_, results)| results).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_the_items_order() {
        let items: Vec<usize> = (0..1000).collect();
        let squares = super::map(&items, |i| i * i);
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert_eq!(super::map(&items[..3], |i| i + 1), vec![1, 2, 3], "a few items, on this thread");
        assert!(super::map(&[] as &[usize], |i| *i).is_empty());
    }
}
