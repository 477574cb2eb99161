//! Violations found before a request is sent.

use std::fmt::{self, Display};

/// One problem with one field of a request, found before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The field as the user wrote it, nested fields joined with `.` (`request_body.expires_in_seconds`).
    pub field: String,
    /// The rule that failed (`path`, `header`, `non_empty`, `range`, ...).
    pub rule: &'static str,
    /// What is wrong, in words.
    pub message: String,
    /// The offending value, where it is not a secret (never for headers).
    pub value: Option<String>,
}

impl Violation {
    /// A violation of `rule` by `field`.
    pub fn new(field: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            rule,
            message: message.into(),
            value: None,
        }
    }

    /// The same violation, showing the offending value.
    #[must_use]
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.message)?;
        if let Some(value) = &self.value {
            write!(f, " (got {value:?})")?;
        }
        Ok(())
    }
}

/// Every violation found in one request: a plain report, never empty when returned as an
/// error. Checks record into it with [`push`](Self::push), and [`nested`](Self::nested) puts
/// the fields of a nested struct under the struct's field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// An empty collection.
    pub fn new() -> Self {
        ValidationErrors::default()
    }

    /// Records a violation.
    pub fn push(&mut self, violation: Violation) {
        self.violations.push(violation);
    }

    /// Runs `f` with every field it records put under `field.` (for nested structs).
    ///
    /// The fields are renamed once `f` is done, so that no nesting state outlives the call (nor
    /// shows in the report) and a nested struct without violations costs nothing.
    pub fn nested(&mut self, field: &str, f: impl FnOnce(&mut ValidationErrors)) {
        let start = self.violations.len();
        f(self);
        for violation in &mut self.violations[start..] {
            violation.field.insert(0, '.');
            violation.field.insert_str(0, field);
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// How many violations were recorded.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// The violations, in the order the fields were checked.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Whether `field` has a violation.
    pub fn has(&self, field: &str) -> bool {
        self.violations.iter().any(|v| v.field == field)
    }

    /// `Ok(())` when nothing was recorded, the collection otherwise.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.violations.as_slice() {
            [] => f.write_str("no violations"),
            [one] => write!(f, "invalid request: {one}"),
            many => {
                write!(f, "invalid request: {} problems", many.len())?;
                for v in many {
                    write!(f, "\n  - {v}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}

/// A value that can check itself before it is sent.
///
/// Derive it with `#[derive(restruct::Validate)]`, or implement it by hand for rules that
/// attributes cannot express (the functions of [`rules`](crate::rules) help).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `restruct::Validate`",
    label = "`#[validate(nested)]` needs this type to implement `restruct::Validate`",
    note = "derive it with `#[derive(restruct::Validate)]` on the type, or implement it by hand"
)]
pub trait Validate {
    /// Records every violation into `errors`, naming fields relative to `self`.
    fn validate_into(&self, errors: &mut ValidationErrors);

    /// Every violation at once, or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        self.validate_into(&mut errors);
        errors.into_result()
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_into(&self, errors: &mut ValidationErrors) {
        (**self).validate_into(errors);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, errors: &mut ValidationErrors) {
        if let Some(value) = self {
            value.validate_into(errors);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, errors: &mut ValidationErrors) {
        for (i, item) in self.iter().enumerate() {
            errors.nested(&i.to_string(), |e| item.validate_into(e));
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, errors: &mut ValidationErrors) {
        (**self).validate_into(errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_prefixes_fields_and_display_lists_one_per_line() {
        let mut errors = ValidationErrors::new();
        errors.push(Violation::new(
            "session_id",
            "path",
            "must not be empty in a URL path",
        ));
        errors.nested("request_body", |e| {
            e.push(
                Violation::new("expires_in_seconds", "range", "must be at least 30")
                    .with_value("10"),
            )
        });
        assert!(errors.has("request_body.expires_in_seconds"));
        assert_eq!(
            errors.to_string(),
            "invalid request: 2 problems\n  - `session_id` must not be empty in a URL path\n  - `request_body.expires_in_seconds` must be at least 30 (got \"10\")"
        );
    }
}
