//! The one graph type of the solver: a residual flow network in compressed rows.
//!
//! Nodes and arcs are made only through [`GraphBuilder`], which hands back their ids, so an id
//! is valid by construction for the graph it came from. Each arc appears twice in the rows, as
//! two residual entries: forward (from its tail, with its capacity and cost) and backward (from
//! its head, capacity 0 at first, minus the cost). Pushing flow along one entry moves residual
//! capacity to its partner.
//!
//! Every lookup returns a [`Broken`] error rather than a default when an id is out of range:
//! that can only be a bug in this module's callers, and it surfaces as
//! [`AssignError::Internal`](super::AssignError::Internal) instead of a quietly wrong answer.

use std::ops::Range;

/// A broken invariant of the solver: a bug, never a property of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Broken(pub &'static str);

/// A node of a [`Graph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct NodeId(u32);

/// An arc of a [`Graph`], as it was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArcId(u32);

/// One direction of an arc: a position in the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct EntryId(u32);

impl NodeId {
    /// The node's position, `0..node_count`.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

impl EntryId {
    /// The first entry of the first row.
    pub(crate) const FIRST: EntryId = EntryId(0);

    /// The entry's position, `0..entry_count`.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }

    /// The entry after this one in the rows (it may lie in the next row, or past the end:
    /// every lookup checks).
    pub(crate) fn next(self) -> Result<EntryId, Broken> {
        self.0
            .checked_add(1)
            .map(EntryId)
            .ok_or(Broken("entry beyond u32"))
    }
}

/// A residual entry: where it leads, its partner (the other direction of the same arc), the
/// capacity left on it and the cost of one unit along it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The node the entry leads to.
    pub head: NodeId,
    /// The other direction of the same arc.
    pub partner: EntryId,
    /// Units that can still be pushed along the entry.
    pub residual: u32,
    /// Cost of one unit along the entry (the arc's cost forward, its negation backward).
    pub cost: i64,
}

/// Collects nodes and arcs, then lays them out in rows.
#[derive(Debug, Default)]
pub(crate) struct GraphBuilder {
    nodes: u32,
    /// (tail, head, capacity, cost) per arc, in the order added.
    arcs: Vec<(NodeId, NodeId, u32, i64)>,
}

impl GraphBuilder {
    /// Nodes made so far.
    pub(crate) fn node_count(&self) -> usize {
        self.nodes as usize
    }

    /// A new node.
    pub(crate) fn add_node(&mut self) -> Result<NodeId, Broken> {
        let id = NodeId(self.nodes);
        self.nodes = self
            .nodes
            .checked_add(1)
            .ok_or(Broken("more nodes than u32 numbers"))?;
        Ok(id)
    }

    /// A new arc `tail -> head` with a capacity and a unit cost.
    pub(crate) fn add_arc(
        &mut self,
        tail: NodeId,
        head: NodeId,
        capacity: u32,
        cost: i64,
    ) -> Result<ArcId, Broken> {
        let id = ArcId(u32::try_from(self.arcs.len()).map_err(|_| Broken("too many arcs"))?);
        self.arcs.push((tail, head, capacity, cost));
        Ok(id)
    }

    /// Lay the arcs out in rows. Within a node's row, entries keep the order their arcs were
    /// added in (the solver's tie-break depends on it).
    pub(crate) fn build(self) -> Result<Graph, Broken> {
        let nodes = self.nodes as usize;
        // Row starts: count each node's entries, then running sums.
        let mut first = vec![0u32; nodes + 1];
        for &(tail, head, _, _) in &self.arcs {
            for v in [tail, head] {
                // INVARIANT: nodes come from this builder, so `v.index() + 1 <= nodes`.
                let slot = first
                    .get_mut(v.index() + 1)
                    .ok_or(Broken("arc on an unknown node"))?;
                *slot += 1;
            }
        }
        // Running sums: `first[v]` becomes the entries of the nodes before `v`, where its row
        // starts.
        let mut total = 0u32;
        for start in &mut first {
            total += *start;
            *start = total;
        }
        let mut next: Vec<u32> = first.clone();
        let placeholder = Entry {
            head: NodeId(0),
            partner: EntryId(0),
            residual: 0,
            cost: 0,
        };
        let mut entries = vec![placeholder; 2 * self.arcs.len()];
        let mut forward = Vec::with_capacity(self.arcs.len());
        let mut take = |v: NodeId| -> Result<EntryId, Broken> {
            // INVARIANT: `next[v]` stays inside row `v`, as the rows were sized by counting.
            let slot = next
                .get_mut(v.index())
                .ok_or(Broken("arc on an unknown node"))?;
            let e = EntryId(*slot);
            *slot += 1;
            Ok(e)
        };
        for &(tail, head, capacity, cost) in &self.arcs {
            let out = take(tail)?;
            let back = take(head)?;
            *entries.get_mut(out.index()).ok_or(Broken("row overflow"))? = Entry {
                head,
                partner: back,
                residual: capacity,
                cost,
            };
            *entries
                .get_mut(back.index())
                .ok_or(Broken("row overflow"))? = Entry {
                head: tail,
                partner: out,
                residual: 0,
                cost: -cost,
            };
            forward.push(out);
        }
        Ok(Graph {
            first,
            entries,
            forward,
        })
    }
}

/// A residual network in compressed rows: node `v`'s entries are `first[v]..first[v + 1]`.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    first: Vec<u32>,
    entries: Vec<Entry>,
    /// Each arc's forward entry, by [`ArcId`].
    forward: Vec<EntryId>,
}

impl Graph {
    /// Nodes in the graph.
    pub(crate) fn node_count(&self) -> usize {
        self.first.len().saturating_sub(1)
    }

    /// Residual entries in the graph (twice the arcs).
    pub(crate) fn entry_count(&self) -> usize {
        self.entries.len()
    }

    /// Every node, in the order made.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = NodeId> {
        (0..self.node_count() as u32).map(NodeId)
    }

    /// The entries leaving `v`, in row order.
    pub(crate) fn row(&self, v: NodeId) -> Result<Range<EntryId>, Broken> {
        let start = self.first.get(v.index());
        let end = self.first.get(v.index() + 1);
        match (start, end) {
            (Some(&start), Some(&end)) => Ok(EntryId(start)..EntryId(end)),
            _ => Err(Broken("unknown node")),
        }
    }

    /// The entries leaving `v` with their ids, in row order.
    pub(crate) fn out(
        &self,
        v: NodeId,
    ) -> Result<impl Iterator<Item = (EntryId, &Entry)> + '_, Broken> {
        let r = self.row(v)?;
        let slice = self
            .entries
            .get(r.start.index()..r.end.index())
            .ok_or(Broken("row outside the entries"))?;
        Ok((r.start.0..r.end.0).map(EntryId).zip(slice))
    }

    /// One entry.
    pub(crate) fn entry(&self, e: EntryId) -> Result<&Entry, Broken> {
        self.entries.get(e.index()).ok_or(Broken("unknown entry"))
    }

    fn entry_mut(&mut self, e: EntryId) -> Result<&mut Entry, Broken> {
        self.entries
            .get_mut(e.index())
            .ok_or(Broken("unknown entry"))
    }

    /// The entries of `v`'s row from `start` on (none when `start` is the row's end).
    pub(crate) fn row_from(
        &self,
        v: NodeId,
        start: EntryId,
    ) -> Result<impl Iterator<Item = (EntryId, &Entry)> + '_, Broken> {
        let r = self.row(v)?;
        if start < r.start || start > r.end {
            return Err(Broken("entry outside its row"));
        }
        let slice = self
            .entries
            .get(start.index()..r.end.index())
            .ok_or(Broken("row outside the entries"))?;
        Ok((start.0..r.end.0).map(EntryId).zip(slice))
    }

    /// The entry at position `pos` of `v`'s row, if the row is that long.
    pub(crate) fn nth_in_row(&self, v: NodeId, pos: usize) -> Result<Option<EntryId>, Broken> {
        let r = self.row(v)?;
        let len = (r.end.0 - r.start.0) as usize;
        Ok((pos < len).then(|| EntryId(r.start.0 + pos as u32)))
    }

    /// The last entry of `v`'s row.
    pub(crate) fn last_in_row(&self, v: NodeId) -> Result<EntryId, Broken> {
        let r = self.row(v)?;
        if r.end > r.start {
            Ok(EntryId(r.end.0 - 1))
        } else {
            Err(Broken("an empty row has no last entry"))
        }
    }

    /// The forward entry of an arc.
    pub(crate) fn forward(&self, a: ArcId) -> Result<EntryId, Broken> {
        self.forward
            .get(a.0 as usize)
            .copied()
            .ok_or(Broken("unknown arc"))
    }

    /// Push `delta` units along entry `e`: its residual falls, its partner's rises.
    pub(crate) fn push(&mut self, e: EntryId, delta: u32) -> Result<(), Broken> {
        let entry = self.entry_mut(e)?;
        entry.residual = entry
            .residual
            .checked_sub(delta)
            .ok_or(Broken("pushed more than the residual capacity"))?;
        let partner = entry.partner;
        let back = self.entry_mut(partner)?;
        back.residual = back
            .residual
            .checked_add(delta)
            .ok_or(Broken("residual capacity beyond u32"))?;
        Ok(())
    }

    /// Set the residual capacity of both directions of an arc (flow and capacity at once).
    pub(crate) fn set_residuals(
        &mut self,
        a: ArcId,
        forward: u32,
        backward: u32,
    ) -> Result<(), Broken> {
        let e = self.forward(a)?;
        let entry = self.entry_mut(e)?;
        entry.residual = forward;
        let partner = entry.partner;
        self.entry_mut(partner)?.residual = backward;
        Ok(())
    }

    /// Units flowing on an arc (the residual of its backward entry).
    pub(crate) fn flow(&self, a: ArcId) -> Result<u32, Broken> {
        let e = self.forward(a)?;
        Ok(self.entry(self.entry(e)?.partner)?.residual)
    }
}

/// A value per node of one graph.
#[derive(Debug, Clone)]
pub(crate) struct NodeMap<T>(Vec<T>);

impl<T: Clone> NodeMap<T> {
    /// `value` at every node of `g`.
    pub(crate) fn new(g: &Graph, value: T) -> Self {
        Self(vec![value; g.node_count()])
    }

    /// Set every node's value.
    pub(crate) fn fill(&mut self, value: T) {
        self.0.iter_mut().for_each(|x| *x = value.clone());
    }
}

impl<T: Copy> NodeMap<T> {
    /// The value at `v`.
    pub(crate) fn at(&self, v: NodeId) -> Result<T, Broken> {
        self.0.get(v.index()).copied().ok_or(Broken("unknown node"))
    }
}

impl<T> NodeMap<T> {
    /// The value at `v`, by reference.
    pub(crate) fn get(&self, v: NodeId) -> Result<&T, Broken> {
        self.0.get(v.index()).ok_or(Broken("unknown node"))
    }

    /// The value at `v`, to change.
    pub(crate) fn get_mut(&mut self, v: NodeId) -> Result<&mut T, Broken> {
        self.0.get_mut(v.index()).ok_or(Broken("unknown node"))
    }

    /// Set the value at `v`.
    pub(crate) fn set(&mut self, v: NodeId, value: T) -> Result<(), Broken> {
        *self.get_mut(v)? = value;
        Ok(())
    }
}

/// A value per residual entry of one graph.
#[derive(Debug, Clone)]
pub(crate) struct EntryMap<T>(Vec<T>);

impl<T: Clone> EntryMap<T> {
    /// `value` at every entry of `g`.
    pub(crate) fn new(g: &Graph, value: T) -> Self {
        Self(vec![value; g.entry_count()])
    }
}

impl<T: Copy> EntryMap<T> {
    /// The value at `e`.
    pub(crate) fn at(&self, e: EntryId) -> Result<T, Broken> {
        self.0
            .get(e.index())
            .copied()
            .ok_or(Broken("unknown entry"))
    }

    /// Set the value at `e`.
    pub(crate) fn set(&mut self, e: EntryId, value: T) -> Result<(), Broken> {
        *self.0.get_mut(e.index()).ok_or(Broken("unknown entry"))? = value;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_the_order_arcs_were_added_in_and_pushes_move_residuals() {
        let mut b = GraphBuilder::default();
        let [s, x, t] = [(); 3].map(|_| b.add_node().unwrap());
        let sx = b.add_arc(s, x, 3, 5).unwrap();
        let st = b.add_arc(s, t, 1, 0).unwrap();
        let xt = b.add_arc(x, t, 2, -1).unwrap();
        let mut g = b.build().unwrap();
        let heads =
            |g: &Graph, v| -> Vec<NodeId> { g.out(v).unwrap().map(|(_, e)| e.head).collect() };
        assert_eq!(heads(&g, s), vec![x, t]);
        assert_eq!(heads(&g, x), vec![s, t]);
        assert_eq!(heads(&g, t), vec![s, x]);
        let e = g.forward(sx).unwrap();
        g.push(e, 2).unwrap();
        assert_eq!(g.flow(sx).unwrap(), 2);
        assert_eq!(g.entry(e).unwrap().residual, 1);
        assert_eq!(g.entry(g.entry(e).unwrap().partner).unwrap().cost, -5);
        assert_eq!(g.flow(st).unwrap(), 0);
        assert_eq!(g.last_in_row(x).unwrap(), g.forward(xt).unwrap());
        assert!(
            g.push(e, 2).is_err(),
            "pushing past the residual is refused"
        );
    }

    #[test]
    fn an_id_from_another_graph_is_an_error_not_a_default() {
        let mut small = GraphBuilder::default();
        small.add_node().unwrap();
        let g = small.build().unwrap();
        let mut big = GraphBuilder::default();
        let _ = big.add_node().unwrap();
        let far = big.add_node().unwrap();
        assert!(g.row(far).is_err());
        assert!(NodeMap::new(&g, 0u32).at(far).is_err());
    }
}
