//! `Nullable<T>`: a field that is left out, sent as `null`, or sent with a value.

use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Error as _, Serialize, Serializer};

/// The name under which an unset [`Nullable`] presents itself to a serializer. The query
/// serializer recognises it and leaves the parameter out; every other serializer gets an error.
pub(crate) const UNSET_MARKER: &str = "$restruct::Nullable::Unset";

/// A field of a partial update: leave it as it is, clear it, or set it.
///
/// APIs such as Clerk's `PATCH /users/{user_id}` tell "not given" (keep the stored value) from
/// `null` (clear it). `Option<T>` has one state too few for that; `Nullable<T>` has three:
///
/// | value | in a JSON body | in a `#[query]` (and a form body) |
/// | --- | --- | --- |
/// | [`Unset`](Nullable::Unset) (the default) | the field is left out | left out |
/// | [`Null`](Nullable::Null) | `"field": null` | left out (a URL has no `null`) |
/// | [`Value(v)`](Nullable::Value) | `"field": v` | `field=v` |
///
/// A body field of an `#[endpoint]` struct is left out when unset without more ado. In a struct
/// of your own, mark the field `#[serde(skip_serializing_if = "Nullable::is_unset")]` (serde
/// offers no other way for a value to leave its own key out). Forgetting it is caught: an unset
/// value that reaches a body serializer fails, so the request is refused as invalid before
/// anything is sent, instead of silently clearing the field with `null`.
///
/// ```
/// use restruct_core::Nullable;
/// use serde::Serialize;
///
/// #[derive(Default, Serialize)]
/// struct UpdateUser {
///     #[serde(skip_serializing_if = "Nullable::is_unset")]
///     first_name: Nullable<String>,
///     #[serde(skip_serializing_if = "Nullable::is_unset")]
///     last_name: Nullable<String>,
///     #[serde(skip_serializing_if = "Nullable::is_unset")]
///     username: Nullable<String>,
/// }
///
/// let update = UpdateUser {
///     first_name: "Ada".into(),     // set
///     last_name: Nullable::Null,    // clear
///     ..UpdateUser::default()       // keep the username as it is
/// };
/// assert_eq!(
///     serde_json::to_string(&update).unwrap(),
///     r#"{"first_name":"Ada","last_name":null}"#
/// );
/// ```
///
/// Deserializing gives `Null` for `null` and `Value` otherwise; a missing field is `Unset` when
/// the field has `#[serde(default)]`:
///
/// ```
/// # use restruct_core::Nullable;
/// #[derive(serde::Deserialize)]
/// struct Patch {
///     #[serde(default)]
///     username: Nullable<String>,
/// }
/// let patch: Patch = serde_json::from_str("{}").unwrap();
/// assert!(patch.username.is_unset());
/// let patch: Patch = serde_json::from_str(r#"{"username":null}"#).unwrap();
/// assert!(patch.username.is_null());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// Not sent: the server keeps what it has.
    #[default]
    Unset,
    /// Sent as `null`: the server clears the field.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out; the function for `skip_serializing_if`.
    pub fn is_unset(&self) -> bool {
        matches!(self, Nullable::Unset)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the field is sent with a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// A `Nullable` of a reference to the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Unset => Nullable::Unset,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Maps the value, keeping `Unset` and `Null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Unset => Nullable::Unset,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// `None` for `Unset`, `Some(None)` for `Null`, `Some(Some(v))` for a value.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Unset => None,
            Nullable::Null => Some(None),
            Nullable::Value(value) => Some(Some(value)),
        }
    }

    /// `Null` for `None`, a value for `Some`: for a field that is always sent.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl<T> From<Option<Option<T>>> for Nullable<T> {
    fn from(value: Option<Option<T>>) -> Self {
        match value {
            None => Nullable::Unset,
            Some(None) => Nullable::Null,
            Some(Some(value)) => Nullable::Value(value),
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Unset => serializer.serialize_newtype_struct(UNSET_MARKER, &Unset),
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

/// What an unset `Nullable` serializes as, for serializers that do not know the marker.
struct Unset;

impl Serialize for Unset {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(S::Error::custom(
            "an unset `Nullable` must be left out: mark the field \
             `#[serde(skip_serializing_if = \"Nullable::is_unset\")]`",
        ))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from_option)
    }
}

impl<T: fmt::Display> fmt::Display for Nullable<T> {
    /// `unset`, `null`, or the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nullable::Unset => f.write_str("unset"),
            Nullable::Null => f.write_str("null"),
            Nullable::Value(value) => value.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Forgot {
        name: Nullable<String>,
    }

    #[test]
    fn an_unset_value_without_skip_fails_instead_of_sending_null() {
        let err = serde_json::to_string(&Forgot {
            name: Nullable::Unset,
        })
        .unwrap_err();
        assert!(err.to_string().contains("skip_serializing_if"), "{err}");
        assert!(serde_urlencoded::to_string(&Forgot {
            name: Nullable::Unset
        })
        .is_err());
        assert_eq!(
            serde_json::to_string(&Forgot {
                name: Nullable::Null
            })
            .unwrap(),
            r#"{"name":null}"#
        );
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::<u8>::from(None::<Option<u8>>), Nullable::Unset);
        assert_eq!(Nullable::<u8>::from(Some(None)), Nullable::Null);
        assert_eq!(Nullable::from_option(None::<u8>), Nullable::Null);
        assert_eq!(Nullable::Value(2).map(|v| v * 2).value(), Some(&4));
        assert_eq!(Nullable::<u8>::Null.into_option(), Some(None));
        assert_eq!(Nullable::Value("x").to_string(), "x");
    }
}
