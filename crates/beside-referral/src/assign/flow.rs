//! The fallback solver (and test oracle): min-cost circulation on `root -> case -> service ->
//! root`, built up one case at a time with Dijkstra on reduced costs (primal-dual successive
//! shortest paths). Used when the problem is too large for the 64-bit prices of `scaling`.
//!
//! Nodes: cases `0..n`, services `n..n+m`, and one `root` (source and sink merged). Arcs:
//! `root -> case k` (capacity: demand, cost `-reward(k)`), `case -> service` (one per eligible
//! pair, unbounded, cost: the pair's cost), `service -> root` (capacity: the service's capacity,
//! cost 0). A minimum-cost circulation is an optimal assignment.
//!
//! Invariant: every residual arc has a non-negative reduced cost `c(u,v) + p(u) - p(v)`, except
//! the `root -> s` arc of the one case `s` being added. Adding `s`: give it a potential that
//! makes its service arcs non-negative, then cancel negative cycles `root -> s -> … -> root`
//! through a shortest path from `s` back to `root` (a service with an open place, or a case
//! giving up a place) while such a cycle is negative, and set potentials so that `root -> s` is
//! non-negative again. When the last case is added the circulation has no negative cycle: it is
//! optimal. Costs are `i128`; the input limits keep every figure far below overflow.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The problem in canonical form: cases and services in id order, arcs grouped by case in
/// service order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Network {
    /// Priority weight per case.
    pub weight: Vec<u32>,
    /// Places needed per case.
    pub demand: Vec<u32>,
    /// Open places per service.
    pub capacity: Vec<u32>,
    /// Arcs of case `k` are `arc_start[k]..arc_start[k + 1]`.
    pub arc_start: Vec<u32>,
    /// Service of each arc.
    pub arc_service: Vec<u32>,
    /// Cost of one place on each arc.
    pub arc_cost: Vec<i64>,
}

/// The optimal flow.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flow {
    /// Places on each arc.
    pub arc_flow: Vec<u32>,
    /// Places filled per case.
    pub placed: Vec<u32>,
    /// Places used per service.
    pub load: Vec<u32>,
    /// Shortest-path searches run.
    pub searches: u64,
    /// Augmentations made.
    pub augmentations: u64,
}

/// How the search reached `root`.
#[derive(Debug, Clone, Copy)]
enum RootPred {
    /// Through an open place at this service.
    Free(u32),
    /// By this case giving up a place.
    Unassign(u32),
}

fn at<T: Copy + Default>(v: &[T], i: usize) -> T {
    v.get(i).copied().unwrap_or_default()
}

fn set<T>(v: &mut [T], i: usize, x: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = x;
    }
}

fn update<T: Copy>(v: &mut [T], i: usize, f: impl FnOnce(T) -> T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = f(*slot);
    }
}

struct Solver<'a> {
    net: &'a Network,
    n: usize,
    root: usize,
    arc_case: Vec<u32>,
    reward: Vec<i128>,
    p: Vec<i128>,
    flow: Flow,
    /// Per service: arcs into it carrying flow (its residual reverse arcs).
    held: Vec<Vec<u32>>,
    /// Position of each arc in its service's `held` list.
    held_pos: Vec<u32>,
    // Dijkstra state, reset by epoch.
    dist: Vec<i128>,
    seen: Vec<u32>,
    done: Vec<u32>,
    pred: Vec<u32>,
    epoch: u32,
    heap: BinaryHeap<Reverse<(i128, u32)>>,
    finalized: Vec<u32>,
}

/// Solve the network exactly. See the module documentation.
pub(crate) fn solve(net: &Network) -> Flow {
    let n = net.weight.len();
    let m = net.capacity.len();
    let arcs = net.arc_service.len();
    let mut arc_case = vec![0u32; arcs];
    let mut units: i128 = 0;
    let mut cost_bound: i128 = 0;
    for k in 0..n {
        let (lo, hi) = arc_range(net, k);
        for a in lo..hi {
            set(&mut arc_case, a, k as u32);
        }
        let max_cost = net
            .arc_cost
            .get(lo..hi)
            .and_then(|c| c.iter().max().copied());
        let d = i128::from(at(&net.demand, k));
        units += d;
        cost_bound += d * i128::from(max_cost.unwrap_or(0));
    }
    // Lexicographic objective as one cost: a place of case k earns
    // (weight * (U + 1) + 1) * B, with B above any total cost and U the places demanded.
    let b = cost_bound + 1;
    let reward: Vec<i128> = (0..n)
        .map(|k| (i128::from(at(&net.weight, k)) * (units + 1) + 1) * b)
        .collect();
    let nodes = n + m + 1;
    let mut s = Solver {
        net,
        n,
        root: n + m,
        arc_case,
        reward,
        p: vec![0; nodes],
        flow: Flow {
            arc_flow: vec![0; arcs],
            placed: vec![0; n],
            load: vec![0; m],
            searches: 0,
            augmentations: 0,
        },
        held: vec![Vec::new(); m],
        held_pos: vec![0; arcs],
        dist: vec![0; nodes],
        seen: vec![0; nodes],
        done: vec![0; nodes],
        pred: vec![0; nodes],
        epoch: 0,
        heap: BinaryHeap::new(),
        finalized: Vec::new(),
    };
    // Higher weights first, then id order: fewer places change hands later. The order only
    // affects which of several optimal answers is returned, and it depends on content alone.
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&k| (Reverse(at(&net.weight, k as usize)), k));
    for k in order {
        s.add_case(k as usize);
    }
    s.flow
}

fn arc_range(net: &Network, k: usize) -> (usize, usize) {
    (
        at(&net.arc_start, k) as usize,
        at(&net.arc_start, k + 1) as usize,
    )
}

impl Solver<'_> {
    fn add_case(&mut self, s: usize) {
        let (lo, hi) = arc_range(self.net, s);
        if lo == hi {
            return;
        }
        let mut ps = i128::MIN;
        for a in lo..hi {
            let j = self.n + at(&self.net.arc_service, a) as usize;
            ps = ps.max(at(&self.p, j) - i128::from(at(&self.net.arc_cost, a)));
        }
        set(&mut self.p, s, ps);
        let demand = at(&self.net.demand, s);
        while at(&self.flow.placed, s) < demand {
            // Reduced cost of root -> s; p[root] stays 0 throughout.
            let rc = -at(&self.reward, s) - at(&self.p, s);
            if rc >= 0 {
                return;
            }
            // Only a cycle of negative cost helps: stop searching at distance -rc.
            let found = self.search(s, -rc);
            match found {
                Some((d, root_pred)) if rc + d < 0 => {
                    self.augment(s, root_pred);
                    self.update_potentials(d);
                }
                _ => {
                    self.update_potentials(-rc);
                    return;
                }
            }
        }
    }

    /// Dijkstra from case `s` to `root` on reduced costs; `None` when `root` is not reached
    /// at a distance below `bound`.
    fn search(&mut self, s: usize, bound: i128) -> Option<(i128, RootPred)> {
        self.flow.searches += 1;
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.seen.iter_mut().for_each(|x| *x = 0);
            self.done.iter_mut().for_each(|x| *x = 0);
            self.epoch = 1;
        }
        let epoch = self.epoch;
        self.heap.clear();
        self.finalized.clear();
        set(&mut self.seen, s, epoch);
        set(&mut self.dist, s, 0);
        self.heap.push(Reverse((0, s as u32)));
        let mut root_pred = RootPred::Free(0);
        let mut root_dist: Option<i128> = None;
        let net = self.net;
        while let Some(Reverse((d, u))) = self.heap.pop() {
            let u = u as usize;
            if at(&self.done, u) == epoch || d > at(&self.dist, u) {
                continue;
            }
            if d >= bound {
                break;
            }
            set(&mut self.done, u, epoch);
            if u == self.root {
                root_dist = Some(d);
                break;
            }
            self.finalized.push(u as u32);
            let pu = at(&self.p, u);
            if u < self.n {
                let (lo, hi) = arc_range(net, u);
                for a in lo..hi {
                    let v = self.n + at(&net.arc_service, a) as usize;
                    let nd = d + i128::from(at(&net.arc_cost, a)) + pu - at(&self.p, v);
                    self.relax(v, nd, a as u32);
                }
                if u != s && at(&self.flow.placed, u) > 0 {
                    let nd = d + at(&self.reward, u) + pu;
                    if root_dist_better(self, nd) {
                        root_pred = RootPred::Unassign(u as u32);
                    }
                }
            } else {
                let j = u - self.n;
                if at(&self.flow.load, j) < at(&net.capacity, j) {
                    let nd = d + pu;
                    if root_dist_better(self, nd) {
                        root_pred = RootPred::Free(j as u32);
                    }
                }
                let held = self.held.get(j).map(Vec::len).unwrap_or(0);
                for h in 0..held {
                    let a = self
                        .held
                        .get(j)
                        .and_then(|l| l.get(h))
                        .copied()
                        .unwrap_or_default() as usize;
                    let k = at(&self.arc_case, a) as usize;
                    let nd = d - i128::from(at(&net.arc_cost, a)) + pu - at(&self.p, k);
                    self.relax(k, nd, a as u32);
                }
            }
        }
        root_dist.map(|d| (d, root_pred))
    }

    fn relax(&mut self, v: usize, nd: i128, pred: u32) {
        let epoch = self.epoch;
        if at(&self.done, v) == epoch {
            return;
        }
        if at(&self.seen, v) != epoch || nd < at(&self.dist, v) {
            set(&mut self.seen, v, epoch);
            set(&mut self.dist, v, nd);
            set(&mut self.pred, v, pred);
            self.heap.push(Reverse((nd, v as u32)));
        }
    }

    /// Push as many places as the path allows around the cycle `root -> s -> … -> root`.
    fn augment(&mut self, s: usize, root_pred: RootPred) {
        self.flow.augmentations += 1;
        let net = self.net;
        let mut b = at(&net.demand, s).saturating_sub(at(&self.flow.placed, s));
        let mut v = match root_pred {
            RootPred::Free(j) => {
                let j = j as usize;
                b = b.min(at(&net.capacity, j).saturating_sub(at(&self.flow.load, j)));
                self.n + j
            }
            RootPred::Unassign(k) => {
                b = b.min(at(&self.flow.placed, k as usize));
                k as usize
            }
        };
        // First pass: the bottleneck.
        while v != s {
            let a = at(&self.pred, v) as usize;
            if v >= self.n {
                v = at(&self.arc_case, a) as usize;
            } else {
                b = b.min(at(&self.flow.arc_flow, a));
                v = self.n + at(&net.arc_service, a) as usize;
            }
        }
        if b == 0 {
            return;
        }
        // Second pass: apply.
        let mut v = match root_pred {
            RootPred::Free(j) => {
                let j = j as usize;
                update(&mut self.flow.load, j, |x| x + b);
                self.n + j
            }
            RootPred::Unassign(k) => {
                let k = k as usize;
                update(&mut self.flow.placed, k, |x| x - b);
                k
            }
        };
        while v != s {
            let a = at(&self.pred, v) as usize;
            if v >= self.n {
                self.change_flow(a, b, true);
                v = at(&self.arc_case, a) as usize;
            } else {
                self.change_flow(a, b, false);
                v = self.n + at(&net.arc_service, a) as usize;
            }
        }
        update(&mut self.flow.placed, s, |x| x + b);
    }

    fn change_flow(&mut self, a: usize, b: u32, up: bool) {
        let old = at(&self.flow.arc_flow, a);
        let new = if up { old + b } else { old - b };
        set(&mut self.flow.arc_flow, a, new);
        let j = at(&self.net.arc_service, a) as usize;
        let Some(list) = self.held.get_mut(j) else {
            return;
        };
        if old == 0 && new > 0 {
            set(&mut self.held_pos, a, list.len() as u32);
            list.push(a as u32);
        } else if old > 0 && new == 0 {
            let pos = at(&self.held_pos, a) as usize;
            list.swap_remove(pos);
            if let Some(&moved) = list.get(pos) {
                set(&mut self.held_pos, moved as usize, pos as u32);
            }
        }
    }

    /// `p(v) += min(d(v), cap) - cap` for the nodes the last search finalised; the others keep
    /// their potential (their distance is at least `cap`).
    fn update_potentials(&mut self, cap: i128) {
        for i in 0..self.finalized.len() {
            let v = at(&self.finalized, i) as usize;
            let d = at(&self.dist, v);
            if d < cap {
                update(&mut self.p, v, |x| x + d - cap);
            }
        }
    }
}

fn root_dist_better(s: &mut Solver<'_>, nd: i128) -> bool {
    let root = s.root;
    if at(&s.seen, root) != s.epoch || nd < at(&s.dist, root) {
        set(&mut s.seen, root, s.epoch);
        set(&mut s.dist, root, nd);
        s.heap.push(Reverse((nd, root as u32)));
        true
    } else {
        false
    }
}
