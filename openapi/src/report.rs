//! What a check found, endpoint by endpoint.

use std::fmt;

/// One difference between an endpoint and the document, written like a review comment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The Rust item at fault: `GetUser.user_id`, `EmailAddress.id`.
    pub rust: String,
    /// Where the document says otherwise: a JSON pointer such as
    /// `#/components/schemas/EmailAddress` or `#/paths/~1users/get/parameters/2`.
    pub location: String,
    /// What is wrong and, where it helps, what to change.
    pub message: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The findings for one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointReport {
    /// The Rust type (`GetUser`).
    pub endpoint: String,
    /// `GET /users/{user_id}`, as the document writes the path.
    pub operation: String,
    /// Every mismatch found.
    pub mismatches: Vec<Mismatch>,
    /// What could not be checked, and why (a type without `JsonSchema`, an endpoint without
    /// metadata); not a mismatch.
    pub notes: Vec<String>,
}

/// The findings for a set of endpoints: [`check`](crate::check)'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Report {
    /// One entry per endpoint, in the order they were given.
    pub endpoints: Vec<EndpointReport>,
}

impl Report {
    /// Whether no endpoint has a mismatch (notes do not count).
    pub fn is_ok(&self) -> bool {
        self.endpoints.iter().all(|e| e.mismatches.is_empty())
    }

    /// Every mismatch, with the endpoint it belongs to.
    pub fn mismatches(&self) -> impl Iterator<Item = (&EndpointReport, &Mismatch)> {
        self.endpoints
            .iter()
            .flat_map(|e| e.mismatches.iter().map(move |m| (e, m)))
    }

    /// The report of the endpoint whose Rust type is `endpoint`.
    pub fn endpoint(&self, endpoint: &str) -> Option<&EndpointReport> {
        self.endpoints.iter().find(|e| e.endpoint == endpoint)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.mismatches().count();
        writeln!(
            f,
            "{} endpoint(s) checked, {count} mismatch(es)",
            self.endpoints.len()
        )?;
        for endpoint in &self.endpoints {
            let verdict = if endpoint.mismatches.is_empty() {
                "ok"
            } else {
                "MISMATCH"
            };
            writeln!(
                f,
                "\n{} ({}): {verdict}",
                endpoint.endpoint, endpoint.operation
            )?;
            for m in &endpoint.mismatches {
                writeln!(f, "  - {}\n      at {}", m.message, m.location)?;
            }
            for note in &endpoint.notes {
                writeln!(f, "  note: {note}")?;
            }
        }
        Ok(())
    }
}
