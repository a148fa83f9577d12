//! The fast solver: the lexicographic objective split in two exact stages.
//!
//! **Why two stages are exact.** The units (places) of all cases, with "these units can be
//! placed together" as independence, form a matroid (a gammoid). Every case's units carry the
//! same positive reward `weight * (U + 1) + 1`, so an assignment is optimal for objectives 1
//! and 2 (priority value, then places filled) exactly when it is a maximum-reward basis, and a
//! basis has maximum reward exactly when, for every weight `t`, it places `r(t)` units of cases
//! of weight `>= t`, where `r(t)` is the most units those cases can be placed together
//! (greedy is optimal on a matroid). So:
//!
//! 1. **Capacity stage**: an incremental maximum flow, opening the weight classes from the
//!    highest down (Dinic's blocking flows), gives `r(t)` for every class, hence the number of
//!    units `x(t) = r(t) - r(t')` each class must place.
//! 2. **Cost stage**: among flows in which each class `t` places exactly `x(t)` units, the
//!    minimum total cost (objective 3) by cost scaling (Goldberg's push-relabel refine, FIFO,
//!    `alpha = 8`, Goldberg's price update at the start of each refine and after every `N`
//!    relabels), starting from the capacity stage's flow. Costs are scaled by `N + 1` (`N`
//!    nodes), so the final `1`-optimal flow is exactly optimal.
//!
//! Network: `S -> class t` (frozen after stage 1), `class t -> case` (capacity: demand),
//! `case -> service` (one per eligible pair, capacity: demand, cost: the pair's cost),
//! `service -> T` (capacity: capacity). Prices and costs are `i64`; [`solve`] declines (returns
//! `None`) when the problem's size and costs could overflow them, and the caller falls back to
//! the successive-shortest-path solver.
//!
//! **Ties.** Every loop runs in canonical index order and the active-node queue is FIFO, so the
//! optimum returned is a fixed function of the canonical problem.

use super::flow::{Flow, Network};
use std::collections::VecDeque;

/// Cost-scaling factor per refine.
const ALPHA: i64 = 8;

fn at<T: Copy + Default>(v: &[T], i: usize) -> T {
    v.get(i).copied().unwrap_or_default()
}

fn set<T>(v: &mut [T], i: usize, x: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = x;
    }
}

/// A residual graph in compressed rows: node `v`'s entries are `first[v]..first[v + 1]`; each
/// arc appears twice (forward with its capacity, reverse with capacity 0), `rev` pairs them.
struct Graph {
    first: Vec<u32>,
    head: Vec<u32>,
    rev: Vec<u32>,
    cap: Vec<u32>,
    cost: Vec<i64>,
}

impl Graph {
    /// `arcs`: (tail, head, capacity, cost); returns the graph and each arc's forward entry.
    fn new(nodes: usize, arcs: &[(u32, u32, u32, i64)]) -> (Self, Vec<u32>) {
        let mut first = vec![0u32; nodes + 1];
        for &(t, h, _, _) in arcs {
            if let Some(x) = first.get_mut(t as usize + 1) {
                *x += 1;
            }
            if let Some(x) = first.get_mut(h as usize + 1) {
                *x += 1;
            }
        }
        for i in 1..first.len() {
            let prev = at(&first, i - 1);
            if let Some(x) = first.get_mut(i) {
                *x += prev;
            }
        }
        let entries = 2 * arcs.len();
        let mut g = Graph {
            first,
            head: vec![0; entries],
            rev: vec![0; entries],
            cap: vec![0; entries],
            cost: vec![0; entries],
        };
        let mut pos: Vec<u32> = g.first.clone();
        let mut forward = Vec::with_capacity(arcs.len());
        for &(t, h, c, w) in arcs {
            let e1 = at(&pos, t as usize);
            set(&mut pos, t as usize, e1 + 1);
            let e2 = at(&pos, h as usize);
            set(&mut pos, h as usize, e2 + 1);
            let (i1, i2) = (e1 as usize, e2 as usize);
            set(&mut g.head, i1, h);
            set(&mut g.head, i2, t);
            set(&mut g.rev, i1, e2);
            set(&mut g.rev, i2, e1);
            set(&mut g.cap, i1, c);
            set(&mut g.cost, i1, w);
            set(&mut g.cost, i2, -w);
            forward.push(e1);
        }
        (g, forward)
    }

    fn entries(&self, v: usize) -> std::ops::Range<usize> {
        at(&self.first, v) as usize..at(&self.first, v + 1) as usize
    }

    fn push(&mut self, e: usize, delta: u32) {
        if let Some(c) = self.cap.get_mut(e) {
            *c -= delta;
        }
        let r = at(&self.rev, e) as usize;
        if let Some(c) = self.cap.get_mut(r) {
            *c += delta;
        }
    }

    /// Flow on the arc whose forward entry is `e`.
    fn flow(&self, e: usize) -> u32 {
        at(&self.cap, at(&self.rev, e) as usize)
    }
}

/// Work counters.
#[derive(Default)]
struct Work {
    passes: u64,
    changes: u64,
}

/// Solve the network exactly, or `None` when it is too large for `i64` prices (or a safety
/// bound trips); the caller then uses the successive-shortest-path solver.
pub(crate) fn solve(net: &Network) -> Option<Flow> {
    let n = net.weight.len();
    let m = net.capacity.len();
    let pairs = net.arc_service.len();
    // Weight classes of the cases that have an eligible pair, highest first.
    let mut weights: Vec<u32> = (0..n)
        .filter(|&k| at(&net.arc_start, k + 1) > at(&net.arc_start, k))
        .map(|k| at(&net.weight, k))
        .collect();
    weights.sort_unstable_by(|a, b| b.cmp(a));
    weights.dedup();
    let classes = weights.len();
    let class_of = |w: u32| weights.binary_search_by(|x| w.cmp(x)).ok();
    // Nodes: S, classes, cases, services, T.
    let s_node = 0usize;
    let class0 = 1usize;
    let case0 = class0 + classes;
    let service0 = case0 + n;
    let t_node = service0 + m;
    let nodes = t_node + 1;
    let max_cost = net.arc_cost.iter().copied().max().unwrap_or(0).max(0);
    // Prices fall by at most about 3 N eps per refine; keep every figure below 2^61.
    let scale = i64::try_from(nodes).ok()?.checked_add(1)?;
    let bound = scale
        .checked_mul(scale)?
        .checked_mul(max_cost.max(1))?
        .checked_mul(16)?;
    if bound > (1i64 << 61) {
        return None;
    }
    let mut class_total = vec![0u32; classes];
    let mut arcs: Vec<(u32, u32, u32, i64)> = Vec::with_capacity(classes + n + pairs + m);
    for (t, _) in weights.iter().enumerate() {
        arcs.push((s_node as u32, (class0 + t) as u32, 0, 0));
    }
    let mut case_class = vec![None; n];
    for k in 0..n {
        if at(&net.arc_start, k + 1) > at(&net.arc_start, k) {
            let t = class_of(at(&net.weight, k))?;
            set(&mut case_class, k, Some(t));
            let d = at(&net.demand, k);
            if let Some(x) = class_total.get_mut(t) {
                *x = x.checked_add(d)?;
            }
            arcs.push(((class0 + t) as u32, (case0 + k) as u32, d, 0));
        }
    }
    let first_pair = arcs.len();
    for k in 0..n {
        let d = at(&net.demand, k);
        let lo = at(&net.arc_start, k) as usize;
        let hi = at(&net.arc_start, k + 1) as usize;
        for a in lo..hi {
            let j = at(&net.arc_service, a) as usize;
            let c = at(&net.arc_cost, a).checked_mul(scale)?;
            arcs.push(((case0 + k) as u32, (service0 + j) as u32, d, c));
        }
    }
    let first_sink = arcs.len();
    for j in 0..m {
        arcs.push((
            (service0 + j) as u32,
            t_node as u32,
            at(&net.capacity, j),
            0,
        ));
    }
    let (mut g, forward) = Graph::new(nodes, &arcs);
    drop(arcs);
    let mut work = Work::default();

    // Stage 1: open the classes from the highest weight down, maximum flow each time.
    let mut dinic = Dinic::new(nodes);
    for t in 0..classes {
        let e = at(&forward, t) as usize;
        set(&mut g.cap, e, at(&class_total, t));
        dinic.max_flow(&mut g, s_node, t_node, &mut work);
    }
    // Freeze the class supplies.
    for t in 0..classes {
        let e = at(&forward, t) as usize;
        set(&mut g.cap, e, 0);
        let r = at(&g.rev, e) as usize;
        set(&mut g.cap, r, 0);
    }

    // Stage 2: cost scaling from the (feasible) capacity-stage flow.
    let mut cs = CostScaling::new(&g, service0, t_node);
    let mut eps = max_cost.checked_mul(scale)?;
    while eps > 1 {
        eps = (eps / ALPHA).max(1);
        if !cs.refine(&mut g, eps, &mut work) {
            return None;
        }
    }

    let mut flow = Flow {
        arc_flow: vec![0; pairs],
        placed: vec![0; n],
        load: vec![0; m],
        searches: work.passes,
        augmentations: work.changes,
    };
    for k in 0..n {
        let lo = at(&net.arc_start, k) as usize;
        let hi = at(&net.arc_start, k + 1) as usize;
        let mut placed = 0u32;
        for a in lo..hi {
            let f = g.flow(at(&forward, first_pair + a) as usize);
            set(&mut flow.arc_flow, a, f);
            placed += f;
        }
        set(&mut flow.placed, k, placed);
    }
    for j in 0..m {
        set(
            &mut flow.load,
            j,
            g.flow(at(&forward, first_sink + j) as usize),
        );
    }
    Some(flow)
}

/// Dinic's maximum flow (BFS levels, blocking flow by depth-first search with current arcs).
struct Dinic {
    level: Vec<u32>,
    cur: Vec<u32>,
    queue: Vec<u32>,
    path: Vec<u32>,
}

const UNSEEN: u32 = u32::MAX;

impl Dinic {
    fn new(nodes: usize) -> Self {
        Self {
            level: vec![UNSEEN; nodes],
            cur: vec![0; nodes],
            queue: Vec::with_capacity(nodes),
            path: Vec::new(),
        }
    }

    fn max_flow(&mut self, g: &mut Graph, s: usize, t: usize, work: &mut Work) {
        while self.levels(g, s, t) {
            work.passes += 1;
            for v in 0..self.cur.len() {
                let f = at(&g.first, v);
                set(&mut self.cur, v, f);
            }
            self.blocking_flow(g, s, t, work);
        }
    }

    /// BFS levels from `s`; true when `t` is reached.
    fn levels(&mut self, g: &Graph, s: usize, t: usize) -> bool {
        self.level.iter_mut().for_each(|l| *l = UNSEEN);
        self.queue.clear();
        set(&mut self.level, s, 0);
        self.queue.push(s as u32);
        let mut i = 0;
        while let Some(&u) = self.queue.get(i) {
            i += 1;
            let u = u as usize;
            let lu = at(&self.level, u);
            if lu.saturating_add(1) >= at(&self.level, t) {
                continue;
            }
            for e in g.entries(u) {
                if at(&g.cap, e) == 0 {
                    continue;
                }
                let v = at(&g.head, e) as usize;
                if at(&self.level, v) == UNSEEN {
                    set(&mut self.level, v, lu + 1);
                    self.queue.push(v as u32);
                }
            }
        }
        at(&self.level, t) != UNSEEN
    }

    fn blocking_flow(&mut self, g: &mut Graph, s: usize, t: usize, work: &mut Work) {
        self.path.clear();
        let mut u = s;
        loop {
            if u == t {
                let mut b = u32::MAX;
                for &e in &self.path {
                    b = b.min(at(&g.cap, e as usize));
                }
                for &e in &self.path {
                    g.push(e as usize, b);
                }
                work.changes += 1;
                // Back to the tail of the first saturated entry.
                let cut = self
                    .path
                    .iter()
                    .position(|&e| at(&g.cap, e as usize) == 0)
                    .unwrap_or(0);
                self.path.truncate(cut);
                u = self
                    .path
                    .last()
                    .map(|&e| at(&g.head, e as usize) as usize)
                    .unwrap_or(s);
                continue;
            }
            let from = u;
            let end = at(&g.first, u + 1);
            let mut e = at(&self.cur, u);
            let next_level = at(&self.level, u).saturating_add(1);
            let mut advanced = false;
            while e < end {
                let i = e as usize;
                let v = at(&g.head, i) as usize;
                if at(&g.cap, i) > 0 && at(&self.level, v) == next_level {
                    self.path.push(e);
                    u = v;
                    advanced = true;
                    break;
                }
                e += 1;
            }
            if advanced {
                set(&mut self.cur, from, e);
                continue;
            }
            set(&mut self.cur, u, end);
            // Dead end: retreat.
            set(&mut self.level, u, UNSEEN);
            match self.path.pop() {
                None => return,
                Some(back) => {
                    u = at(&g.head, at(&g.rev, back as usize) as usize) as usize;
                    let c = at(&self.cur, u);
                    set(&mut self.cur, u, c + 1);
                }
            }
        }
    }
}

/// Goldberg's cost-scaling refine with FIFO active nodes and current arcs.
///
/// A service's residual arcs are its arc to `T` and the reverse arcs of the pairs carrying
/// flow into it: a handful among its hundreds of pairs. So a service scans a list of those
/// (`held`: kept lazily, entries whose flow fell to 0 are dropped at its next relabel) instead
/// of its whole row; position 0 is the arc to `T`, position `i >= 1` is `held[i - 1]`.
struct CostScaling {
    price: Vec<i64>,
    excess: Vec<i64>,
    /// Current position in each node's scan list.
    cur: Vec<u32>,
    queue: VecDeque<u32>,
    service0: usize,
    t_node: usize,
    held: Vec<Vec<u32>>,
    listed: Vec<bool>,
    /// Price-update state.
    dist: Vec<u64>,
    settled: Vec<bool>,
    buckets: Vec<Vec<u32>>,
}

impl CostScaling {
    fn new(g: &Graph, service0: usize, t_node: usize) -> Self {
        let nodes = g.first.len().saturating_sub(1);
        let mut held = vec![Vec::new(); t_node.saturating_sub(service0)];
        let mut listed = vec![false; g.head.len()];
        for (j, list) in held.iter_mut().enumerate() {
            let v = service0 + j;
            let r = g.entries(v);
            // The last entry is the arc to T.
            for e in r.start..r.end.saturating_sub(1) {
                if at(&g.cap, e) > 0 {
                    list.push(e as u32);
                    set(&mut listed, e, true);
                }
            }
        }
        Self {
            price: vec![0; nodes],
            excess: vec![0; nodes],
            cur: vec![0; nodes],
            queue: VecDeque::new(),
            service0,
            t_node,
            held,
            listed,
            dist: vec![0; nodes],
            settled: vec![false; nodes],
            buckets: Vec::new(),
        }
    }

    fn is_service(&self, v: usize) -> bool {
        v >= self.service0 && v < self.t_node
    }

    /// The entry at position `pos` of `v`'s scan list.
    fn entry(&self, g: &Graph, v: usize, pos: usize) -> Option<usize> {
        if self.is_service(v) {
            if pos == 0 {
                Some(at(&g.first, v + 1).checked_sub(1)? as usize)
            } else {
                self.held
                    .get(v - self.service0)?
                    .get(pos - 1)
                    .map(|&e| e as usize)
            }
        } else {
            let e = at(&g.first, v) as usize + pos;
            (e < at(&g.first, v + 1) as usize).then_some(e)
        }
    }

    /// Push `delta` along entry `e` (from `v`), listing a pair that starts carrying flow.
    fn push(&mut self, g: &mut Graph, v: usize, e: usize, delta: u32) {
        g.push(e, delta);
        let w = at(&g.head, e) as usize;
        if self.is_service(w) && !self.is_service(v) && w != self.t_node {
            let r = at(&g.rev, e) as usize;
            if !at(&self.listed, r) {
                set(&mut self.listed, r, true);
                if let Some(list) = self.held.get_mut(w - self.service0) {
                    list.push(r as u32);
                }
            }
        }
    }

    fn reduced(&self, g: &Graph, v: usize, e: usize) -> i64 {
        at(&g.cost, e) + at(&self.price, v) - at(&self.price, at(&g.head, e) as usize)
    }

    /// Turn an `ALPHA * eps`-optimal flow into an `eps`-optimal one. False when a safety bound
    /// trips (it cannot on a feasible network).
    fn refine(&mut self, g: &mut Graph, eps: i64, work: &mut Work) -> bool {
        work.passes += 1;
        let nodes = self.price.len();
        // Saturate every arc of negative reduced cost.
        for v in 0..nodes {
            let mut pos = 0;
            while let Some(e) = self.entry(g, v, pos) {
                pos += 1;
                let c = at(&g.cap, e);
                if c == 0 || self.reduced(g, v, e) >= 0 {
                    continue;
                }
                let w = at(&g.head, e) as usize;
                self.push(g, v, e, c);
                work.changes += 1;
                let delta = i64::from(c);
                add(&mut self.excess, v, -delta);
                add(&mut self.excess, w, delta);
            }
        }
        self.price_update(g, eps);
        self.queue.clear();
        for v in 0..nodes {
            set(&mut self.cur, v, 0);
            if at(&self.excess, v) > 0 {
                self.queue.push_back(v as u32);
            }
        }
        let mut since_update = 0usize;
        // Each node is relabelled at most about 3 N times per refine.
        let n64 = nodes as u64;
        let mut relabel_budget = n64.saturating_mul(n64).saturating_mul(4).saturating_add(16);
        while let Some(v) = self.queue.pop_front() {
            let v = v as usize;
            let mut ex = at(&self.excess, v);
            while ex > 0 {
                let mut pos = at(&self.cur, v) as usize;
                let mut found = None;
                while let Some(e) = self.entry(g, v, pos) {
                    if at(&g.cap, e) > 0 && self.reduced(g, v, e) < 0 {
                        found = Some(e);
                        break;
                    }
                    pos += 1;
                }
                if let Some(e) = found {
                    set(&mut self.cur, v, pos as u32);
                    let w = at(&g.head, e) as usize;
                    let c = at(&g.cap, e);
                    let delta = u32::try_from(ex).map_or(c, |x| x.min(c));
                    self.push(g, v, e, delta);
                    work.changes += 1;
                    let d = i64::from(delta);
                    ex -= d;
                    let before = at(&self.excess, w);
                    set(&mut self.excess, w, before + d);
                    if before <= 0 && before + d > 0 {
                        self.queue.push_back(w as u32);
                    }
                } else {
                    if relabel_budget == 0 {
                        return false;
                    }
                    relabel_budget -= 1;
                    let Some(best) = self.relabel_target(g, v) else {
                        return false;
                    };
                    set(&mut self.price, v, best - eps);
                    set(&mut self.cur, v, 0);
                    since_update += 1;
                    if since_update >= nodes {
                        since_update = 0;
                        self.price_update(g, eps);
                        self.cur.iter_mut().for_each(|c| *c = 0);
                    }
                }
            }
            set(&mut self.excess, v, ex);
        }
        true
    }

    /// Goldberg's price update: lower every price by `eps` times the node's distance to the
    /// nearest deficit, arc lengths `floor(reduced cost / eps) + 1` (non-negative on an
    /// `eps`-optimal flow), so the flow stays `eps`-optimal and every active node gets an
    /// admissible path. Nodes not settled when the last active node is take the distance then
    /// reached, which keeps every bound.
    fn price_update(&mut self, g: &Graph, eps: i64) {
        let nodes = self.price.len();
        // Distances are capped at `nodes` (capping keeps every bound) and kept in buckets.
        let cap = nodes as u64;
        if self.buckets.len() <= nodes {
            self.buckets.resize(nodes + 1, Vec::new());
        }
        self.buckets.iter_mut().for_each(Vec::clear);
        let mut active = 0usize;
        for v in 0..nodes {
            set(&mut self.settled, v, false);
            let ex = at(&self.excess, v);
            if ex < 0 {
                set(&mut self.dist, v, 0);
                if let Some(b) = self.buckets.get_mut(0) {
                    b.push(v as u32);
                }
            } else {
                set(&mut self.dist, v, u64::MAX);
                if ex > 0 {
                    active += 1;
                }
            }
        }
        let mut reached = 0u64;
        let mut level = 0usize;
        'search: while level <= nodes && active > 0 {
            let Some(w) = self.buckets.get_mut(level).and_then(Vec::pop) else {
                level += 1;
                continue;
            };
            let w = w as usize;
            let d = level as u64;
            if at(&self.settled, w) || d > at(&self.dist, w) {
                continue;
            }
            set(&mut self.settled, w, true);
            reached = d;
            if at(&self.excess, w) > 0 {
                active -= 1;
                if active == 0 {
                    break 'search;
                }
            }
            let pw = at(&self.price, w);
            for e in g.entries(w) {
                // The arc v -> w is the partner of entry e (w -> v).
                let r = at(&g.rev, e) as usize;
                if at(&g.cap, r) == 0 {
                    continue;
                }
                let v = at(&g.head, e) as usize;
                if at(&self.settled, v) {
                    continue;
                }
                let rc = at(&g.cost, r) + at(&self.price, v) - pw;
                let len = u64::try_from(rc.div_euclid(eps) + 1).unwrap_or(0);
                let nd = d.saturating_add(len).min(cap);
                if nd < at(&self.dist, v) {
                    set(&mut self.dist, v, nd);
                    if let Some(b) = self.buckets.get_mut(nd as usize) {
                        b.push(v as u32);
                    }
                }
            }
        }
        for v in 0..nodes {
            let d = if at(&self.settled, v) {
                at(&self.dist, v)
            } else {
                reached
            };
            let drop = i64::try_from(d).unwrap_or(i64::MAX).saturating_mul(eps);
            if let Some(p) = self.price.get_mut(v) {
                *p = p.saturating_sub(drop);
            }
        }
    }

    /// The largest `price(w) - cost(v, w)` over `v`'s residual arcs (dropping a service's
    /// pairs that no longer carry flow), or `None` when `v` has none.
    fn relabel_target(&mut self, g: &Graph, v: usize) -> Option<i64> {
        let mut best: Option<i64> = None;
        let mut consider = |e: usize, price: &[i64]| {
            if at(&g.cap, e) > 0 {
                let x = at(price, at(&g.head, e) as usize) - at(&g.cost, e);
                best = Some(best.map_or(x, |b: i64| b.max(x)));
            }
        };
        if self.is_service(v) {
            if let Some(e) = at(&g.first, v + 1).checked_sub(1) {
                consider(e as usize, &self.price);
            }
            let j = v - self.service0;
            let mut list = std::mem::take(self.held.get_mut(j)?);
            list.retain(|&e| {
                let keep = at(&g.cap, e as usize) > 0;
                if !keep {
                    set(&mut self.listed, e as usize, false);
                }
                keep
            });
            for &e in &list {
                consider(e as usize, &self.price);
            }
            if let Some(slot) = self.held.get_mut(j) {
                *slot = list;
            }
        } else {
            for e in g.entries(v) {
                consider(e, &self.price);
            }
        }
        best
    }
}

fn add(v: &mut [i64], i: usize, x: i64) {
    if let Some(slot) = v.get_mut(i) {
        *slot += x;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::flow;
    use super::*;
    use proptest::prelude::*;

    /// (priority value, places, cost) of a flow.
    fn objective(net: &Network, f: &Flow) -> (u64, u64, i64) {
        let mut o = (0u64, 0u64, 0i64);
        for k in 0..net.weight.len() {
            for a in net.arc_start[k] as usize..net.arc_start[k + 1] as usize {
                let x = f.arc_flow[a];
                o.0 += u64::from(net.weight[k]) * u64::from(x);
                o.1 += u64::from(x);
                o.2 += net.arc_cost[a] * i64::from(x);
            }
        }
        o
    }

    fn check(net: &Network, f: &Flow) {
        for k in 0..net.weight.len() {
            let lo = net.arc_start[k] as usize;
            let hi = net.arc_start[k + 1] as usize;
            let placed: u32 = f.arc_flow[lo..hi].iter().sum();
            assert_eq!(placed, f.placed[k]);
            assert!(placed <= net.demand[k]);
        }
        let mut load = vec![0u32; net.capacity.len()];
        for (a, &x) in f.arc_flow.iter().enumerate() {
            load[net.arc_service[a] as usize] += x;
        }
        assert_eq!(load, f.load);
        for (j, &l) in load.iter().enumerate() {
            assert!(l <= net.capacity[j]);
        }
    }

    prop_compose! {
        fn network()(n in 0usize..40, m in 1usize..12, seed in any::<u64>(),
                     density in 1u64..=10, max_cost in prop_oneof![Just(3i64), Just(100), Just(1_000_000_000)],
                     max_weight in prop_oneof![Just(0u64), Just(3), Just(1000)]) -> Network {
            let mut rng = beside_core::rng::SplitMix64::new(seed);
            let mut net = Network {
                weight: (0..n).map(|_| rng.below(max_weight + 1) as u32).collect(),
                demand: (0..n).map(|_| 1 + rng.below(3) as u32).collect(),
                capacity: (0..m).map(|_| rng.below(4) as u32).collect(),
                arc_start: vec![0],
                ..Network::default()
            };
            for _ in 0..n {
                for j in 0..m {
                    if rng.below(10) < density {
                        net.arc_service.push(j as u32);
                        net.arc_cost.push(rng.below(max_cost as u64 + 1) as i64);
                    }
                }
                net.arc_start.push(net.arc_service.len() as u32);
            }
            net
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The same optimum as the successive-shortest-path solver, feasibly, every time.
        #[test]
        fn matches_successive_shortest_paths(net in network()) {
            let oracle = flow::solve(&net);
            let fast = solve(&net).unwrap();
            check(&net, &fast);
            prop_assert_eq!(objective(&net, &fast), objective(&net, &oracle));
            let again = solve(&net).unwrap();
            prop_assert_eq!(again.arc_flow, fast.arc_flow);
        }
    }

    #[test]
    fn declines_when_prices_could_overflow() {
        let n = 60_000;
        let net = Network {
            weight: vec![1; n],
            demand: vec![1; n],
            capacity: vec![1],
            arc_start: (0..=n as u32).collect(),
            arc_service: vec![0; n],
            arc_cost: vec![1_000_000_000; n],
        };
        assert!(solve(&net).is_none());
    }
}
