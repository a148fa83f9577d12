//! The dependency graph between need domains: which domain requires which, and which domains are
//! foundational.
//!
//! The default follows the domain brief: food, shelter, safety and physical health are
//! foundational; mental health conditions everything; livelihood needs food, shelter, health and
//! documents; justice needs safety, documents and money for the process; skills training needs
//! food, shelter and childcare; family connection shapes community acceptance. A user-supplied
//! graph is checked against a catalogue: unknown domains, self-loops, repeated edges and cycles
//! (the error names the cycle) are refused.

use crate::catalogue::Catalogue;
use beside_core::{domains, DomainKey, Reason, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most edges accepted in one graph.
pub const MAX_EDGES: usize = 64 * 63;

/// One edge: `domain` requires `requires` (a barrier in `requires` blocks `domain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    /// The dependent domain.
    pub domain: DomainKey,
    /// The domain it requires.
    pub requires: DomainKey,
}

/// Which domains require which, and which are foundational.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DependencyGraph {
    /// Foundational domains: a barrier here is weighed more heavily.
    #[serde(default)]
    pub foundational: Vec<DomainKey>,
    /// The edges; the graph must have no cycle.
    pub edges: Vec<Dependency>,
}

impl Default for DependencyGraph {
    fn default() -> Self {
        Self::standard()
    }
}

impl DependencyGraph {
    /// The default graph of the domain brief, over the 16 default domains.
    pub fn standard() -> Self {
        use domains::*;
        let mut edges = Vec::new();
        let mut add = |domain: &DomainKey, requires: &DomainKey| {
            edges.push(Dependency {
                domain: domain.clone(),
                requires: requires.clone(),
            });
        };
        // Mental health conditions everything.
        for (key, _) in beside_core::DEFAULT_DOMAINS.iter() {
            if key != &MENTAL_HEALTH {
                add(key, &MENTAL_HEALTH);
            }
        }
        for r in [&FOOD, &SHELTER, &PHYSICAL_HEALTH, &DOCUMENTS] {
            add(&LIVELIHOOD, r);
        }
        // Justice needs safety, documents and money for the process.
        for r in [&SAFETY, &DOCUMENTS, &EMERGENCY_FUNDS] {
            add(&LEGAL, r);
        }
        for r in [&FOOD, &SHELTER, &CHILDCARE] {
            add(&EDUCATION, r);
        }
        add(&COMMUNITY, &FAMILY);
        Self {
            foundational: vec![FOOD, SHELTER, SAFETY, PHYSICAL_HEALTH],
            edges,
        }
    }

    /// An empty graph: no dependencies, nothing foundational.
    pub fn empty() -> Self {
        Self {
            foundational: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// Check the graph against `catalogue`, reporting below the validator's current path:
    /// unknown domains (listing the known ones), self-loops, repeated edges, repeated
    /// foundational entries and cycles (`edges: cycle: a -> b -> a`).
    pub fn validate_against(&self, v: &mut Validator, catalogue: &Catalogue) {
        let known = || {
            catalogue
                .domains
                .iter()
                .map(|d| d.key.to_string())
                .collect()
        };
        v.max_items("edges", &self.edges, MAX_EDGES);
        v.max_items(
            "foundational",
            &self.foundational,
            crate::assessment::MAX_DOMAINS,
        );
        v.field("foundational", |v| {
            for (i, k) in self.foundational.iter().enumerate() {
                if catalogue.position(k.as_str()).is_none() {
                    v.index(i, |v| {
                        v.report(Reason::Unknown {
                            value: k.to_string(),
                            known: known(),
                        })
                    });
                }
            }
        });
        v.unique(
            "foundational",
            self.foundational.iter().map(DomainKey::as_str),
        );
        let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(self.edges.len());
        let mut clean = true;
        v.field("edges", |v| {
            for (i, e) in self.edges.iter().enumerate() {
                v.index(i, |v| {
                    let from = catalogue.position(e.domain.as_str());
                    let to = catalogue.position(e.requires.as_str());
                    for (name, key, pos) in
                        [("domain", &e.domain, from), ("requires", &e.requires, to)]
                    {
                        if pos.is_none() {
                            v.report_at(
                                name,
                                Reason::Unknown {
                                    value: key.to_string(),
                                    known: known(),
                                },
                            );
                        }
                    }
                    if let (Some(a), Some(b)) = (from, to) {
                        if a == b {
                            clean = false;
                            v.report_at(
                                "requires",
                                Reason::Invalid {
                                    expected: "a domain other than the dependent domain itself"
                                        .into(),
                                    value: e.requires.to_string(),
                                },
                            );
                        } else if pairs.contains(&(a, b)) {
                            v.report(Reason::Duplicate {
                                value: format!("{} -> {}", e.domain, e.requires),
                            });
                        } else {
                            pairs.push((a, b));
                        }
                    } else {
                        clean = false;
                    }
                });
            }
            if clean {
                if let Some(cycle) = find_cycle(catalogue.domains.len(), &pairs) {
                    let nodes = cycle
                        .iter()
                        .filter_map(|&i| catalogue.domains.get(i).map(|d| d.key.to_string()))
                        .collect();
                    v.report(Reason::Cycle { nodes });
                }
            }
        });
    }
}

/// A cycle in the directed graph of `n` nodes with edges `pairs` (`a -> b`), as the nodes of
/// the cycle with the first repeated at the end; the first found by a depth-first search from
/// each node in turn, lowest first, visiting children lowest first.
fn find_cycle(n: usize, pairs: &[(usize, usize)]) -> Option<Vec<usize>> {
    let mut children: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &(a, b) in pairs {
        children.entry(a).or_default().insert(b);
    }
    let mut visits = BTreeMap::new();
    let mut path = Vec::new();
    (0..n).find_map(|start| {
        if visits.contains_key(&start) {
            None
        } else {
            cycle_from(start, &children, &mut visits, &mut path)
        }
    })
}

/// How far the depth-first search of [`find_cycle`] has got with a node (absent: not reached).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// On the current path.
    OnPath,
    /// Finished: no cycle through it.
    Done,
}

/// The depth-first search of [`find_cycle`] from `node`, with `path` the nodes leading to it.
fn cycle_from(
    node: usize,
    children: &BTreeMap<usize, BTreeSet<usize>>,
    visits: &mut BTreeMap<usize, Visit>,
    path: &mut Vec<usize>,
) -> Option<Vec<usize>> {
    visits.insert(node, Visit::OnPath);
    path.push(node);
    for &child in children.get(&node).into_iter().flatten() {
        match visits.get(&child) {
            None => {
                if let Some(cycle) = cycle_from(child, children, visits, path) {
                    return Some(cycle);
                }
            }
            Some(Visit::OnPath) => {
                let mut cycle: Vec<usize> =
                    path.iter().copied().skip_while(|&x| x != child).collect();
                cycle.push(child);
                return Some(cycle);
            }
            Some(Visit::Done) => {}
        }
    }
    path.pop();
    visits.insert(node, Visit::Done);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn check(g: &DependencyGraph) -> Result<(), beside_core::ValidationErrors> {
        let mut v = Validator::new(Utc::now());
        g.validate_against(&mut v, &Catalogue::standard());
        v.finish()
    }

    fn edge(a: &str, b: &str) -> Dependency {
        Dependency {
            domain: DomainKey::new(a).unwrap(),
            requires: DomainKey::new(b).unwrap(),
        }
    }

    #[test]
    fn standard_graph_is_valid() {
        assert!(check(&DependencyGraph::standard()).is_ok());
        assert_eq!(DependencyGraph::standard().edges.len(), 15 + 4 + 3 + 3 + 1);
    }

    #[test]
    fn cycle_is_named() {
        let mut g = DependencyGraph::empty();
        g.edges = vec![
            edge("food", "shelter"),
            edge("shelter", "debt"),
            edge("debt", "food"),
            edge("legal", "food"),
        ];
        let err = check(&g).unwrap_err();
        assert_eq!(
            err.to_string(),
            "edges: cycle: food -> shelter -> debt -> food"
        );
        assert_eq!(
            err.first().map(|e| &e.reason),
            Some(&Reason::Cycle {
                nodes: vec![
                    "food".into(),
                    "shelter".into(),
                    "debt".into(),
                    "food".into()
                ]
            })
        );
    }

    #[test]
    fn unknown_self_loop_and_duplicate() {
        let mut g = DependencyGraph::empty();
        g.edges = vec![
            edge("food", "fod"),
            edge("food", "food"),
            edge("legal", "safety"),
            edge("legal", "safety"),
        ];
        g.foundational = vec![DomainKey::new("housing").unwrap()];
        let err = check(&g).unwrap_err();
        assert!(err.has_path("edges[0].requires"), "{err}");
        assert!(
            err.to_string().contains("known values: food, basic_items"),
            "{err}"
        );
        assert!(err.has_path("edges[1].requires"), "{err}");
        assert!(err.has_path("edges[3]"), "{err}");
        assert!(err.has_path("foundational[0]"), "{err}");
    }
}
