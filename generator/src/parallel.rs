//! Runs jobs on all cores when what a job makes cannot leave the thread that made it.
//!
//! A job makes groups of items; every item is processed, and a group is finished once all
//! its items are. Items need not be `Send`, so each is processed where it was made, except
//! that a worker with nothing left to do says so, and a busy worker hands it half of its
//! remaining items turned into a form that can cross threads. This module knows nothing of
//! what jobs and items are: `lib.rs` wires emit and format to it.
//!
//! Not rayon or crossbeam-deque: their work stealing moves the work itself to an idle
//! thread, so it must be `Send`; here an item crosses threads only after a costly conversion,
//! worth making only when a worker is idle, which neither tells a busy worker.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// What [`run`] runs: the steps of a job, its items and its groups.
pub(crate) trait Work: Sync {
    type Job: Sync;
    /// What a group is, handed back to [`Work::finish`] with its processed items.
    type About: Send;
    /// An item: processed on the thread that made it, so it need not be `Send`.
    type Item;
    /// An item made ready to cross to another thread.
    type Handed: Send;
    type Processed: Send;
    type Finished: Send;

    /// Runs a job: the groups of items it makes.
    fn run(&self, job: &Self::Job) -> Vec<Group<Self::About, Self::Item>>;
    fn process(&self, item: Self::Item) -> Self::Processed;
    /// Turns an item into the form it crosses threads in.
    fn hand(&self, item: Self::Item) -> Self::Handed;
    /// Processes an item that crossed threads: the same result as [`Work::process`].
    fn process_handed(&self, item: Self::Handed) -> Self::Processed;
    /// A group from its processed items, in the order the job made them.
    fn finish(&self, about: Self::About, processed: Vec<Self::Processed>) -> Self::Finished;
}

/// Some items made by a job, finished together.
pub(crate) struct Group<A, T> {
    pub(crate) about: A,
    pub(crate) items: Vec<T>,
}

/// Runs every job on all cores (the first ones first) and returns every finished group,
/// in the order of the jobs and of the groups each made. `None` only if a group was left
/// unfinished, which the workers' loop rules out (a panic in a step is passed on instead).
pub(crate) fn run<W: Work>(work: &W, jobs: &[W::Job]) -> Option<Vec<W::Finished>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len()).max(1);
    let shared = Shared {
        work,
        jobs,
        next_job: AtomicUsize::new(0),
        hungry: AtomicBool::new(false),
        state: Mutex::new(State { groups: Vec::new(), handed: VecDeque::new(), active: workers }),
        changed: Condvar::new(),
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| work_until_done(&shared));
        }
    });
    let mut groups = shared.state.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()).groups;
    groups.sort_by_key(|group| group.order);
    groups.into_iter().map(|group| group.finished).collect()
}

/// What the workers share.
struct Shared<'a, W: Work> {
    work: &'a W,
    jobs: &'a [W::Job],
    /// The index of the next job to run.
    next_job: AtomicUsize,
    /// Set by a worker with nothing to do, cleared when it is handed items.
    hungry: AtomicBool,
    state: Mutex<State<W>>,
    /// Notified when items are handed over or a worker runs out of work.
    changed: Condvar,
}

struct State<W: Work> {
    groups: Vec<GroupState<W>>,
    /// Items handed over, with the group and the place in it they belong to.
    handed: VecDeque<(usize, usize, W::Handed)>,
    /// Workers that still have items (or jobs) of their own.
    active: usize,
}

/// One group on its way: its processed items filled in by whichever worker processes them,
/// then finished by the worker that brings the last one.
struct GroupState<W: Work> {
    /// The job's index and the group's index in the job.
    order: (usize, usize),
    /// Taken when the group is finished.
    about: Option<W::About>,
    processed: Vec<Option<W::Processed>>,
    missing: usize,
    finished: Option<W::Finished>,
}

fn lock<'s, W: Work>(shared: &'s Shared<'_, W>) -> MutexGuard<'s, State<W>> {
    shared.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One worker: runs jobs and processes their items until nothing is left to do anywhere.
fn work_until_done<W: Work>(shared: &Shared<'_, W>) {
    let work = shared.work;
    let mut busy = Busy { shared, busy: true };
    // This worker's own items: (group, place, item).
    let mut local: VecDeque<(usize, usize, W::Item)> = VecDeque::new();
    loop {
        if let Some((group, place, item)) = local.pop_front() {
            store(shared, group, place, work.process(item));
            if shared.hungry.load(Ordering::Relaxed) && local.len() >= 2 {
                let handed: Vec<_> = local
                    .drain(local.len() / 2..)
                    .map(|(group, place, item)| (group, place, work.hand(item)))
                    .collect();
                let mut state = lock(shared);
                state.handed.extend(handed);
                shared.hungry.store(false, Ordering::Relaxed);
                shared.changed.notify_all();
            }
            continue;
        }
        let job_index = shared.next_job.fetch_add(1, Ordering::Relaxed);
        if let Some(job) = shared.jobs.get(job_index) {
            let made = work.run(job);
            let mut complete = Vec::new();
            {
                let mut state = lock(shared);
                for (index, group) in made.into_iter().enumerate() {
                    let id = state.groups.len();
                    let missing = group.items.len();
                    state.groups.push(GroupState {
                        order: (job_index, index),
                        about: Some(group.about),
                        processed: std::iter::repeat_with(|| None).take(missing).collect(),
                        missing,
                        finished: None,
                    });
                    if missing == 0 {
                        complete.push(id);
                    }
                    local.extend(group.items.into_iter().enumerate().map(|(place, item)| (id, place, item)));
                }
            }
            for id in complete {
                finish_group(shared, id);
            }
            continue;
        }
        // Nothing of its own left: process what others hand over, until everyone is done.
        let mut state = busy.idle();
        loop {
            if let Some((group, place, item)) = state.handed.pop_front() {
                drop(state);
                store(shared, group, place, work.process_handed(item));
                state = lock(shared);
            } else if state.active == 0 {
                return;
            } else {
                shared.hungry.store(true, Ordering::Relaxed);
                state = shared.changed.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner());
            }
        }
    }
}

/// Counts a worker as active until it has nothing of its own left, or panics (so that the
/// others do not wait for it forever).
struct Busy<'s, 'a, W: Work> {
    shared: &'s Shared<'a, W>,
    busy: bool,
}

impl<'s, W: Work> Busy<'s, '_, W> {
    fn idle(&mut self) -> MutexGuard<'s, State<W>> {
        let mut state = lock(self.shared);
        if std::mem::replace(&mut self.busy, false) {
            state.active -= 1;
            self.shared.changed.notify_all();
        }
        state
    }
}

impl<W: Work> Drop for Busy<'_, '_, W> {
    fn drop(&mut self) {
        drop(self.idle());
    }
}

/// Puts a processed item in its place, and finishes its group if it was the last one.
fn store<W: Work>(shared: &Shared<'_, W>, group: usize, place: usize, processed: W::Processed) {
    {
        let mut state = lock(shared);
        let Some(entry) = state.groups.get_mut(group) else { return };
        let Some(slot) = entry.processed.get_mut(place) else { return };
        if slot.replace(processed).is_none() {
            entry.missing -= 1;
        }
        if entry.missing > 0 {
            return;
        }
    }
    finish_group(shared, group);
}

/// Finishes a group whose items are all processed, once (outside the lock).
fn finish_group<W: Work>(shared: &Shared<'_, W>, group: usize) {
    let (about, processed) = {
        let mut state = lock(shared);
        let Some(entry) = state.groups.get_mut(group) else { return };
        let Some(about) = entry.about.take() else { return };
        (about, std::mem::take(&mut entry.processed))
    };
    let finished = shared.work.finish(about, processed.into_iter().flatten().collect());
    if let Some(entry) = lock(shared).groups.get_mut(group) {
        entry.finished = Some(finished);
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::{run, Group, Work};

    /// Jobs of numbers made as `Rc`s (not `Send`), a group per number below the job's.
    struct Squares;

    impl Work for Squares {
        type Job = usize;
        type About = usize;
        type Item = Rc<usize>;
        type Handed = usize;
        type Processed = usize;
        type Finished = (usize, Vec<usize>);

        fn run(&self, &job: &usize) -> Vec<Group<usize, Rc<usize>>> {
            (0..job).map(|group| Group { about: group, items: (0..group * 50).map(Rc::new).collect() }).collect()
        }
        fn process(&self, item: Rc<usize>) -> usize {
            *item * *item
        }
        fn hand(&self, item: Rc<usize>) -> usize {
            *item
        }
        fn process_handed(&self, item: usize) -> usize {
            item * item
        }
        fn finish(&self, about: usize, processed: Vec<usize>) -> (usize, Vec<usize>) {
            (about, processed)
        }
    }

    #[test]
    fn every_group_is_finished_with_its_items_in_order() {
        let jobs = [40, 3, 0, 7];
        let expected: Vec<_> = jobs
            .iter()
            .flat_map(|&job| (0..job).map(|group| (group, (0..group * 50).map(|n| n * n).collect())))
            .collect();
        assert_eq!(run(&Squares, &jobs), Some(expected));
        assert_eq!(run(&Squares, &[]), Some(Vec::new()));
    }
}
