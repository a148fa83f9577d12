//! Exact batch assignment of a caseload to limited capacities. Being written.
