//! Service areas drawn as shapes: the GeoJSON geometry an HSDS `service_area.extent` carries.
//!
//! A shape is kept in GeoJSON's own form (RFC 7946): positions are `[longitude, latitude]` in
//! WGS84 decimal degrees, a polygon is a list of closed rings (the first is the outline, any
//! further ones are holes), a multipolygon a list of polygons.
//!
//! **Inside or outside.** A point is inside a shape when it lies inside one of its polygons'
//! outlines and inside none of that polygon's holes. A point *on* an edge (of an outline or of
//! a hole) counts as inside: two areas drawn edge to edge then leave nobody on the shared line
//! unserved. Edges are straight lines in longitude and latitude, as GeoJSON draws them, and the
//! winding order of a ring does not matter. A shape that crosses the antimeridian must be cut
//! in two there, as RFC 7946 §3.1.9 asks; a ring that crosses itself is not rejected, but which
//! of its loops count as inside is then left to the winding-number rule.
//!
//! The tests use the [`geo`] crate (robust orientation predicates). A service's shapes are
//! converted to a [`geo::MultiPolygon`] once, when the matching index is built, not per query.

use beside_core::{Coordinates, Reason, Validate, Validator};
use geo::{BoundingRect, Intersects};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Fewest positions of a closed ring: a triangle, its first position repeated at the end.
pub const MIN_RING_POSITIONS: usize = 4;

/// Most positions one shape may hold, over all its rings (a detailed district boundary has a
/// few thousand).
pub const MAX_SHAPE_POSITIONS: usize = 1_000_000;

/// A service area drawn as a shape: a GeoJSON geometry (WGS84, `[longitude, latitude]`), a
/// `Polygon` or a `MultiPolygon`. The first ring of each polygon is its outline, any further
/// rings are holes; every ring is closed (its first position repeated at the end) and holds at
/// least four positions. A point on an edge counts as inside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "type")]
#[serde(deny_unknown_fields)]
pub enum AreaShape {
    /// One polygon.
    Polygon {
        /// Its rings: the outline first, then any holes; each a list of `[longitude, latitude]`
        /// positions, the first repeated at the end.
        coordinates: Vec<Vec<[f64; 2]>>,
    },
    /// Several polygons, each as in [`AreaShape::Polygon`].
    MultiPolygon {
        /// The polygons, each a list of rings (outline first, then holes).
        coordinates: Vec<Vec<Vec<[f64; 2]>>>,
    },
}

impl AreaShape {
    /// A polygon from its outline and holes, each a list of `[longitude, latitude]` positions.
    /// Nothing is checked here; [`Validate`] checks it.
    pub fn polygon(outline: Vec<[f64; 2]>, holes: Vec<Vec<[f64; 2]>>) -> Self {
        let mut rings = Vec::with_capacity(1 + holes.len());
        rings.push(outline);
        rings.extend(holes);
        AreaShape::Polygon { coordinates: rings }
    }

    /// The polygons of the shape, each as its list of rings.
    pub fn polygons(&self) -> &[Vec<Vec<[f64; 2]>>] {
        match self {
            AreaShape::Polygon { coordinates } => std::slice::from_ref(coordinates),
            AreaShape::MultiPolygon { coordinates } => coordinates,
        }
    }

    /// Whether `point` lies inside the shape (on an edge counts as inside; see the module
    /// docs). Converts the shape on each call: to ask many times, prepare it once, as the
    /// matching index does.
    pub fn contains(&self, point: &Coordinates) -> bool {
        Extent::new(std::slice::from_ref(self)).contains(point)
    }

    /// How many positions the shape holds, over all its rings.
    fn positions(&self) -> usize {
        self.polygons()
            .iter()
            .flat_map(|p| p.iter())
            .map(Vec::len)
            .sum()
    }
}

/// Checks one polygon's rings at the current path (which names its list of rings).
fn validate_polygon(rings: &[Vec<[f64; 2]>], v: &mut Validator) {
    v.check(!rings.is_empty(), || Reason::Empty);
    for (i, ring) in rings.iter().enumerate() {
        v.index(i, |v| validate_ring(ring, v));
    }
}

/// Checks one ring at the current path: enough positions, closed, every position in range.
fn validate_ring(ring: &[[f64; 2]], v: &mut Validator) {
    if ring.len() < MIN_RING_POSITIONS {
        v.report(Reason::RingTooShort {
            min: MIN_RING_POSITIONS,
            got: ring.len(),
        });
    }
    if let (Some(first), Some(last)) = (ring.first(), ring.last()) {
        // Exact comparison: GeoJSON closes a ring by repeating the very same position.
        if ring.len() > 1 && first != last {
            v.report(Reason::RingNotClosed {
                first: *first,
                last: *last,
            });
        }
    }
    for (j, [lon, lat]) in ring.iter().enumerate() {
        v.index(j, |v| {
            v.index(0, |v| in_range(v, *lon, 180.0));
            v.index(1, |v| in_range(v, *lat, 90.0));
        });
    }
}

/// Checks at the current path that `x` is finite and within `-bound..=bound`.
fn in_range(v: &mut Validator, x: f64, bound: f64) {
    if !x.is_finite() {
        v.report(Reason::NotFinite);
    } else if x < -bound {
        v.report(Reason::BelowMinimum {
            min: -bound,
            got: x,
        });
    } else if x > bound {
        v.report(Reason::AboveMaximum { max: bound, got: x });
    }
}

impl Validate for AreaShape {
    /// Each ring has at least four positions and is closed; each position is finite with its
    /// longitude in -180..=180 and its latitude in -90..=90; a shape holds at least one polygon
    /// and at most [`MAX_SHAPE_POSITIONS`] positions. Paths name the ring and the position:
    /// `coordinates[0]` (a polygon's outline), `coordinates[1][0][3][1]` (a multipolygon's
    /// second polygon, its outline, the fourth position's latitude).
    fn validate_with(&self, v: &mut Validator) {
        let positions = self.positions();
        v.field("coordinates", |v| {
            if positions > MAX_SHAPE_POSITIONS {
                v.report(Reason::TooMany {
                    max: MAX_SHAPE_POSITIONS,
                    got: positions,
                });
                return;
            }
            match self {
                AreaShape::Polygon { coordinates } => validate_polygon(coordinates, v),
                AreaShape::MultiPolygon { coordinates } => {
                    v.check(!coordinates.is_empty(), || Reason::Empty);
                    for (i, rings) in coordinates.iter().enumerate() {
                        v.index(i, |v| validate_polygon(rings, v));
                    }
                }
            }
        });
    }
}

/// A service's shapes prepared for point-in-polygon tests: every polygon of every shape,
/// converted once to a [`geo::MultiPolygon`], with each polygon's bounding box so most points
/// far away are turned down from four comparisons.
#[derive(Debug, Clone)]
pub(crate) struct Extent {
    shape: geo::MultiPolygon<f64>,
    /// The bounding box of each polygon of `shape`, in the same order (`None` for an empty one).
    boxes: Vec<Option<geo::Rect<f64>>>,
}

impl Extent {
    /// The union of `shapes`, prepared.
    pub(crate) fn new(shapes: &[AreaShape]) -> Self {
        let ring = |r: &Vec<[f64; 2]>| {
            geo::LineString::new(
                r.iter()
                    .map(|&[x, y]| geo::Coord { x, y })
                    .collect::<Vec<_>>(),
            )
        };
        let polygons: Vec<geo::Polygon<f64>> = shapes
            .iter()
            .flat_map(|s| s.polygons().iter())
            .filter_map(|rings| {
                let (outline, holes) = rings.split_first()?;
                Some(geo::Polygon::new(
                    ring(outline),
                    holes.iter().map(ring).collect(),
                ))
            })
            .collect();
        let boxes = polygons.iter().map(BoundingRect::bounding_rect).collect();
        Self {
            shape: geo::MultiPolygon::new(polygons),
            boxes,
        }
    }

    /// Whether `point` lies inside one of the polygons (on an edge counts as inside).
    pub(crate) fn contains(&self, point: &Coordinates) -> bool {
        let c = geo::Coord {
            x: point.longitude,
            y: point.latitude,
        };
        self.shape.0.iter().zip(&self.boxes).any(|(p, b)| {
            b.is_some_and(|b| {
                let (lo, hi) = (b.min(), b.max());
                lo.x <= c.x && c.x <= hi.x && lo.y <= c.y && c.y <= hi.y
            }) && p.intersects(&c)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::from_json;

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates::new(lat, lon).unwrap()
    }

    /// A square from (lon0, lat0) to (lon1, lat1), anticlockwise.
    fn square(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Vec<[f64; 2]> {
        vec![
            [lon0, lat0],
            [lon1, lat0],
            [lon1, lat1],
            [lon0, lat1],
            [lon0, lat0],
        ]
    }

    fn errors(shape: &AreaShape) -> Vec<String> {
        match shape.validate() {
            Ok(()) => vec![],
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn reads_and_writes_geojson() {
        let json = r#"{"type":"Polygon","coordinates":[[[89.0,23.0],[89.5,23.0],[89.5,23.5],[89.0,23.0]]]}"#;
        let shape: AreaShape = from_json(json).unwrap();
        assert_eq!(serde_json::to_string(&shape).unwrap(), json);
        let multi = r#"{"type":"MultiPolygon","coordinates":[[[[89.0,23.0],[89.5,23.0],[89.5,23.5],[89.0,23.0]]]]}"#;
        let shape: AreaShape = from_json(multi).unwrap();
        assert!(matches!(shape, AreaShape::MultiPolygon { .. }));
        let err = from_json::<AreaShape>(r#"{"type":"Point","coordinates":[89.0,23.0]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `Point`"), "{err}");
    }

    #[test]
    fn a_ring_needs_four_positions() {
        let shape = AreaShape::polygon(vec![[90.1, 23.2], [90.3, 23.4], [90.1, 23.2]], vec![]);
        assert_eq!(
            errors(&shape),
            ["coordinates[0]: a ring needs at least 4 positions, got 3"]
        );
        let empty = AreaShape::Polygon {
            coordinates: vec![],
        };
        assert_eq!(errors(&empty), ["coordinates: must not be empty"]);
    }

    #[test]
    fn a_ring_must_be_closed() {
        let shape = AreaShape::polygon(
            vec![[90.1, 23.2], [90.3, 23.2], [90.2, 23.5], [90.3, 23.4]],
            vec![],
        );
        assert_eq!(
            errors(&shape),
            ["coordinates[0]: the ring is not closed: first [90.1, 23.2], last [90.3, 23.4]"]
        );
    }

    #[test]
    fn positions_must_be_in_range_and_finite() {
        let mut ring = square(89.0, 23.0, 89.5, 23.5);
        ring[1] = [181.0, 23.0];
        ring[2] = [89.5, -91.0];
        ring[3] = [f64::NAN, 23.5];
        let shape = AreaShape::polygon(square(0.0, 0.0, 1.0, 1.0), vec![ring]);
        assert_eq!(
            errors(&shape),
            [
                "coordinates[1][1][0]: must be <= 180, got 181",
                "coordinates[1][2][1]: must be >= -90, got -91",
                "coordinates[1][3][0]: must be a finite number",
            ]
        );
    }

    #[test]
    fn multipolygon_errors_name_the_polygon() {
        let shape = AreaShape::MultiPolygon {
            coordinates: vec![
                vec![square(89.0, 23.0, 89.5, 23.5)],
                vec![
                    square(90.0, 23.0, 90.5, 23.5),
                    vec![[90.1, 23.1], [90.2, 23.1], [90.1, 23.1]],
                ],
                vec![],
            ],
        };
        assert_eq!(
            errors(&shape),
            [
                "coordinates[1][1]: a ring needs at least 4 positions, got 3",
                "coordinates[2]: must not be empty",
            ]
        );
        let none = AreaShape::MultiPolygon {
            coordinates: vec![],
        };
        assert_eq!(errors(&none), ["coordinates: must not be empty"]);
    }

    #[test]
    fn inside_outside_in_a_hole_and_on_the_edge() {
        // Around Jashore, with a hole around the town.
        let shape = AreaShape::polygon(
            square(89.0, 23.0, 89.5, 23.5),
            vec![square(89.2, 23.1, 89.3, 23.2)],
        );
        assert!(shape.validate().is_ok());
        assert!(shape.contains(&at(23.4, 89.1)), "inside");
        assert!(
            !shape.contains(&at(23.4, 89.6)),
            "east of it: the next district"
        );
        assert!(!shape.contains(&at(23.6, 89.1)), "north of it");
        assert!(!shape.contains(&at(23.15, 89.25)), "in the hole");
        // On an edge counts as inside: the outline's, a corner, and the hole's.
        assert!(shape.contains(&at(23.0, 89.25)), "on the southern edge");
        assert!(shape.contains(&at(23.5, 89.5)), "on the north-east corner");
        assert!(
            shape.contains(&at(23.15, 89.2)),
            "on the hole's western edge"
        );
        // Winding order does not matter.
        let mut clockwise = square(89.0, 23.0, 89.5, 23.5);
        clockwise.reverse();
        assert!(AreaShape::polygon(clockwise, vec![]).contains(&at(23.4, 89.1)));
    }

    #[test]
    fn a_multipolygon_holds_each_polygon_and_shared_edges() {
        // Two districts drawn edge to edge: a point on the shared edge is in both, so in one.
        let shape = AreaShape::MultiPolygon {
            coordinates: vec![
                vec![square(89.0, 23.0, 89.5, 23.5)],
                vec![square(89.5, 23.0, 90.0, 23.5)],
            ],
        };
        assert!(shape.contains(&at(23.2, 89.2)));
        assert!(shape.contains(&at(23.2, 89.7)));
        assert!(shape.contains(&at(23.2, 89.5)), "on the shared edge");
        assert!(!shape.contains(&at(23.7, 89.5)));
        // Several shapes prepared together hold what each holds.
        let a = AreaShape::polygon(square(89.0, 23.0, 89.5, 23.5), vec![]);
        let b = AreaShape::polygon(square(91.0, 22.0, 91.5, 22.5), vec![]);
        let both = Extent::new(&[a, b]);
        assert!(both.contains(&at(23.2, 89.2)) && both.contains(&at(22.2, 91.2)));
        assert!(!both.contains(&at(22.7, 90.2)));
        assert!(!Extent::new(&[]).contains(&at(23.2, 89.2)));
    }

    proptest::proptest! {
        /// A rectangle holds exactly the points within its bounds, edges included, with or
        /// without a hole in its middle.
        #[test]
        fn a_rectangle_holds_what_lies_within_its_bounds(
            lon0 in -179.0f64..178.0, lat0 in -89.0f64..88.0,
            w in 0.01f64..1.0, h in 0.01f64..1.0,
            fx in -0.5f64..1.5, fy in -0.5f64..1.5,
        ) {
            let (lon1, lat1) = (lon0 + w, lat0 + h);
            let p = at(lat0 + fy * h, lon0 + fx * w);
            let within = (lon0..=lon1).contains(&p.longitude) && (lat0..=lat1).contains(&p.latitude);
            let shape = AreaShape::polygon(square(lon0, lat0, lon1, lat1), vec![]);
            proptest::prop_assert!(shape.validate().is_ok());
            proptest::prop_assert_eq!(shape.contains(&p), within);
            // A hole over the middle third.
            let (hx0, hx1) = (lon0 + w / 3.0, lon0 + 2.0 * w / 3.0);
            let (hy0, hy1) = (lat0 + h / 3.0, lat0 + 2.0 * h / 3.0);
            let holed = AreaShape::polygon(square(lon0, lat0, lon1, lat1), vec![square(hx0, hy0, hx1, hy1)]);
            let in_hole = hx0 < p.longitude && p.longitude < hx1 && hy0 < p.latitude && p.latitude < hy1;
            proptest::prop_assert_eq!(holed.contains(&p), within && !in_hole);
        }
    }
}
