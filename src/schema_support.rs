//! What the schema function that `#[endpoint]` writes (feature `schema`) calls.

use restruct_core::meta::EndpointSchemas;
use schemars::generate::SchemaSettings;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};

fn settings() -> SchemaSettings {
    // JSON Schema 2020-12 is OpenAPI 3.1's dialect; references point where an exported
    // document keeps them.
    SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
        s.meta_schema = None;
    })
}

/// For response and error types: what they accept when deserializing.
pub fn response_generator() -> SchemaGenerator {
    settings().for_deserialize().into_generator()
}

/// For bodies and parameters: what they send when serializing.
pub fn request_generator() -> SchemaGenerator {
    settings().for_serialize().into_generator()
}

/// `Probe::<T>::new().schema(g)`: `Some` schema when `T: JsonSchema` (this inherent method),
/// `None` otherwise ([`NoSchema`]'s), so that the feature asks nothing of types without one.
/// Method resolution picks it on concrete types, which is all the macro asks about.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// A probe for `T`.
    pub fn new() -> Self {
        Probe(PhantomData)
    }
}

impl<T: ?Sized> Default for Probe<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized + JsonSchema> Probe<T> {
    /// `T`'s schema.
    pub fn schema(&self, generator: &mut SchemaGenerator) -> Option<Schema> {
        Some(generator.subschema_for::<T>())
    }
}

/// The fallback of [`Probe::schema`] for a type without `JsonSchema`.
pub trait NoSchema {
    /// No schema.
    fn schema(&self, generator: &mut SchemaGenerator) -> Option<Schema> {
        let _ = generator;
        None
    }
}

impl<T: ?Sized> NoSchema for Probe<T> {}

/// The schemas, with the definitions each generator collected.
pub fn finish(
    mut response_generator: SchemaGenerator,
    mut request_generator: SchemaGenerator,
    response: Option<Schema>,
    error: Option<Schema>,
    body: Option<Schema>,
    fields: Vec<(&'static str, Option<Schema>)>,
) -> EndpointSchemas {
    EndpointSchemas::new(
        response.map(Schema::to_value),
        error.map(Schema::to_value),
        body.map(Schema::to_value),
        fields
            .into_iter()
            .filter_map(|(f, s)| Some((f, s?.to_value())))
            .collect(),
        response_generator.take_definitions(true),
        request_generator.take_definitions(true),
    )
}
