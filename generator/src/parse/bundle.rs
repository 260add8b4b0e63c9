//! `$ref`s to other files (`pet.yaml`, `schemas/pet.yaml#/Pet`), brought into the document
//! so that the later stages see one document with local references only.
//!
//! - A path is relative to the file the `$ref` is written in; the caller's loader
//!   ([`crate::Spec::loader`]) reads it, given its path relative to the spec's folder. The
//!   generator does no I/O; without a loader, a reference to another file is an error.
//! - A **schema** from another file becomes a component of the document, named after the
//!   last segment of its pointer (`#/components/schemas/Pet` or `#/$defs/Pet`: `Pet`), or the
//!   file's stem for a whole file (`pet.yaml`: `pet`); a name already taken gets the file's
//!   stem before it (`common_Error`), then a number. The `$ref` points to the component.
//!   Each (file, pointer) is bundled once, so recursive schemas across files work. A
//!   component of the spec that is only such a `$ref` (`Pet: {$ref: models/pet.yaml}`, the
//!   way most multi-file specs list their schemas) is that schema, under its own name.
//! - Anything else (a parameter, a response, a path item ...) is copied in place of its
//!   `$ref`, since such references cannot refer to themselves.
//! - References inside the other file are followed relative to it; one back into the spec
//!   itself becomes a local reference.
//! - A `description` given as a `$ref` (`description: {$ref: docs/intro.md}`, as some
//!   multi-file specs keep their prose in Markdown files) is the file's text, or with a `#`
//!   fragment the string there. `$ref`s in the document's other parts (`info`, `tags`,
//!   `servers`) are copied in place as in paths. One that cannot be followed there (nothing
//!   reads those parts into types) is a warning, and the key is left out.
//! - Errors name the file the `$ref` is written in and its pointer there: a file that cannot
//!   be read or parsed, a pointer to nothing, and a cycle of references that never reaches a
//!   schema (`a.yaml#/A` is `$ref: b.yaml#/B`, which is `$ref: a.yaml#/A`), so a cycle is an
//!   error, not a hang. What each file's text became in the spec is recorded
//!   ([`super::origins`]), so later stages' messages name the file too.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::local_refs::{names_for, says_what};
use super::origins::Origins;
use super::{check_depth, join_all, percent_decode, read_value, subschemas, unique_name};
use crate::error::{Error, ErrorKind, Pointer, Warning};
use crate::Loader;

/// Brings the files the spec's `$ref`s name into it, recording in `origins` what each
/// brought where; returns the warnings of references left out (see the module doc).
pub(super) fn bundle<'a>(
    tree: &mut Value,
    main_path: &'a str,
    loader: Option<&'a Loader<'a>>,
    origins: &mut Origins,
) -> Result<Vec<Warning>, Error> {
    if !has_external_ref(tree) {
        return Ok(Vec::new());
    }
    let Some(root) = tree.as_object_mut() else { return Ok(Vec::new()) };
    let (main_dir, main_name) = match main_path.rfind('/') {
        Some(slash) => (&main_path[..=slash], &main_path[slash + 1..]),
        None => ("", main_path),
    };
    let existing = root.get("components").and_then(|c| c.get("schemas")).and_then(Value::as_object);
    let mut bundler = Bundler {
        main_path,
        main_dir,
        main_name,
        loader,
        files: BTreeMap::new(),
        bundled: BTreeMap::new(),
        added: Vec::new(),
        taken: existing.map(|schemas| schemas.keys().cloned().collect()).unwrap_or_default(),
        inlining: Vec::new(),
        chain: Vec::new(),
        warnings: Vec::new(),
        places: Vec::new(),
    };
    let main = main_name.to_owned();
    if let Some(Value::Object(schemas)) = root.get_mut("components").and_then(|c| c.get_mut("schemas")) {
        bundler.claim_listed_schemas(schemas, &Pointer::root().join("components").join("schemas"))?;
    }
    for (key, value) in root.iter_mut() {
        let pointer = Pointer::root().join(key);
        match key.as_str() {
            "paths" | "webhooks" => bundler.non_schema(value, &main, &pointer, &pointer)?,
            "$defs" => bundler.schema_map(value, &main, &pointer)?,
            "components" => {
                let Some(components) = value.as_object_mut() else { continue };
                for (kind, entries) in components.iter_mut() {
                    let pointer = pointer.join(kind);
                    if kind == "schemas" {
                        bundler.schema_map(entries, &main, &pointer)?;
                    } else {
                        bundler.non_schema(entries, &main, &pointer, &pointer)?;
                    }
                }
            }
            // `info`, `tags`, `servers`, `externalDocs`, extensions: read by nothing that
            // fails on what is left out, so a reference that cannot be followed is a warning.
            _ => {
                if let Err(error) = bundler.non_schema(value, &main, &pointer, &pointer) {
                    bundler.warnings.push(Warning {
                        pointer: pointer.to_string(),
                        message: format!("left out: {}: {}: {}", error.file, error.pointer, error.message),
                    });
                    *value = Value::Null;
                }
            }
        }
    }
    root.retain(|_, value| !value.is_null());
    if !bundler.added.is_empty() {
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            if let Value::Object(schemas) = components.entry("schemas").or_insert_with(|| Value::Object(Map::new())) {
                schemas.extend(std::mem::take(&mut bundler.added));
            }
        }
    }
    bundler.share_bundled_schemas(tree);
    for (at, file, pointer) in std::mem::take(&mut bundler.places) {
        origins.record_file(at, bundler.shown(&file), pointer);
    }
    Ok(bundler.warnings)
}

fn has_external_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            matches!(map.get("$ref"), Some(Value::String(r)) if !r.starts_with('#'))
                || map.values().any(has_external_ref)
        }
        Value::Array(items) => items.iter().any(has_external_ref),
        _ => false,
    }
}

/// Where a `$ref` leads.
enum Target {
    /// Within the spec itself: the reference to write (`#/...`).
    Local(String),
    /// Into another file: its path relative to the spec's folder, and the pointer in it.
    External(String, Pointer),
}

struct Bundler<'a> {
    main_path: &'a str,
    /// The spec's folder, as the caller named it (`spec/`, or empty), for messages.
    main_dir: &'a str,
    /// The spec's own file name: a reference from another file back to it is local.
    main_name: &'a str,
    loader: Option<&'a Loader<'a>>,
    /// The other files read so far, by path relative to the spec's folder.
    files: BTreeMap<String, Value>,
    /// Schemas of other files made components: (file, pointer) to the component's name.
    bundled: BTreeMap<(String, String), String>,
    /// The components to add, in the order they were met.
    added: Vec<(String, Value)>,
    taken: BTreeSet<String>,
    /// Non-schema references being copied in, innermost last (a repeat is a cycle).
    inlining: Vec<String>,
    /// Schemas that are only a `$ref`, being followed (a repeat is a cycle).
    chain: Vec<String>,
    /// References left out, each with a warning.
    warnings: Vec<Warning>,
    /// What other files' text became: the place in the document, the file (relative to the
    /// spec's folder) and the pointer there (see [`Origins`]).
    places: Vec<(String, String, String)>,
}

impl Bundler<'_> {
    /// A file's path as messages name it: beside the spec.
    fn shown(&self, file: &str) -> String {
        if file == self.main_name {
            self.main_path.to_owned()
        } else {
            normalize(&format!("{}{file}", self.main_dir))
        }
    }

    fn error(&self, file: &str, pointer: &Pointer, message: String) -> Error {
        Error { kind: ErrorKind::Spec, file: self.shown(file), pointer: pointer.to_string(), message }
    }

    fn target(&self, reference: &str, file: &str, pointer: &Pointer) -> Result<Target, Error> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.is_empty() && file == self.main_name {
            return Ok(Target::Local(reference.to_owned()));
        }
        let target_pointer = Pointer::parse_ref(&percent_decode(&format!("#{fragment}"))).ok_or_else(|| {
            self.error(
                file,
                pointer,
                format!("`$ref` to `{reference}`: the part after `#` must be a JSON pointer such as `#/components/schemas/Pet`"),
            )
        })?;
        let target_file = if path.is_empty() {
            file.to_owned()
        } else if path.contains("://") || path.starts_with('/') {
            return Err(self.error(
                file,
                pointer,
                format!("`$ref` to `{reference}`: only relative paths to other files are supported, not URLs or absolute paths"),
            ));
        } else {
            let dir = file.rfind('/').map_or("", |slash| &file[..=slash]);
            normalize(&format!("{dir}{path}"))
        };
        if target_file == self.main_name {
            return Ok(Target::Local(target_pointer.to_string()));
        }
        Ok(Target::External(target_file, target_pointer))
    }

    /// The value at `pointer` in `file`, reading the file on first use.
    fn lookup(
        &mut self,
        file: &str,
        pointer: &Pointer,
        reference: &str,
        site: (&str, &Pointer),
    ) -> Result<Value, Error> {
        if !self.files.contains_key(file) {
            let loader = self.loader.ok_or_else(|| {
                self.error(
                    site.0,
                    site.1,
                    format!(
                        "`$ref` to `{reference}`: a reference to another file, and the generator was given no way to read \
                         files (`Spec::loader`)"
                    ),
                )
            })?;
            let text = loader(file).map_err(|e| {
                self.error(site.0, site.1, format!("`$ref` to `{reference}`: cannot read {}: {e}", self.shown(file)))
            })?;
            let tree = read_value(&text).map_err(|e| self.error(file, &Pointer::root(), e))?;
            check_depth(&tree).map_err(|(pointer, message)| self.error(file, &pointer, message))?;
            self.files.insert(file.to_owned(), tree);
        }
        let plain = pointer.to_string();
        self.files.get(file).and_then(|tree| tree.pointer(&plain[1..])).cloned().ok_or_else(|| {
            self.error(
                site.0,
                site.1,
                format!("`$ref` to `{reference}`: {} has nothing at `{plain}`", self.shown(file)),
            )
        })
    }

    fn schema_map(&mut self, value: &mut Value, file: &str, pointer: &Pointer) -> Result<(), Error> {
        if let Value::Object(schemas) = value {
            for (name, schema) in schemas.iter_mut() {
                self.schema(schema, file, &pointer.join(name))?;
            }
        }
        Ok(())
    }

    /// A part of a document that is not a schema, at `pointer` in `file` and at `at` in the
    /// spec: references are copied in, `schema`s walked.
    fn non_schema(&mut self, value: &mut Value, file: &str, pointer: &Pointer, at: &Pointer) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    match self.target(&reference, file, pointer)? {
                        Target::Local(local) => {
                            map.insert("$ref".into(), Value::String(local));
                        }
                        Target::External(target_file, target_pointer) => {
                            let key = format!("{target_file}{target_pointer}");
                            if self.inlining.contains(&key) {
                                let cycle = self.inlining.join(" → ");
                                return Err(self.error(
                                    file,
                                    pointer,
                                    format!(
                                        "`$ref` to `{reference}` is part of a cycle of references: {cycle} → {key}"
                                    ),
                                ));
                            }
                            let mut content =
                                self.lookup(&target_file, &target_pointer, &reference, (file, pointer))?;
                            self.places.push((at.to_string(), target_file.clone(), target_pointer.to_string()));
                            self.inlining.push(key);
                            self.non_schema(&mut content, &target_file, &target_pointer, at)?;
                            self.inlining.pop();
                            if let Value::Object(content) = &mut content {
                                // A reference's `summary` and `description` win.
                                content.extend(
                                    map.iter().filter(|(k, _)| *k != "$ref").map(|(k, v)| (k.clone(), v.clone())),
                                );
                            }
                            *value = content;
                        }
                    }
                    return Ok(());
                }
                for (key, child) in map.iter_mut() {
                    let child_pointer = pointer.join(key);
                    match key.as_str() {
                        "description" if child.get("$ref").is_some() => self.description(child, file, &child_pointer),
                        "schema" => self.schema(child, file, &child_pointer)?,
                        "schemas" if pointer.last() == Some("components") => {
                            self.schema_map(child, file, &child_pointer)?
                        }
                        "example" | "value" => {}
                        _ => self.non_schema(child, file, &child_pointer, &at.join(key))?,
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.non_schema(child, file, &pointer.join(i), &at.join(i))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A `description` given as `{$ref: intro.md}`: the file's text (or, with a `#` fragment,
    /// the string there). One that cannot be read is left out, with a warning: a description
    /// is never worth failing a spec for.
    fn description(&mut self, value: &mut Value, file: &str, pointer: &Pointer) {
        let text = match value.get("$ref") {
            Some(Value::String(reference)) => {
                let reference = reference.clone();
                self.referenced_text(&reference, file, pointer)
            }
            _ => Err(self.error(file, pointer, "`$ref` must be a string".to_owned())),
        };
        *value = match text {
            Ok(text) => Value::String(text),
            Err(error) => {
                // The pointer is in the file the `$ref` is written in, which it names when that
                // is not the spec itself.
                let file = if file == self.main_name { String::new() } else { self.shown(file) };
                self.warnings.push(Warning {
                    pointer: format!("{file}{pointer}"),
                    message: format!("description left out: {}", error.message),
                });
                Value::String(String::new())
            }
        };
    }

    /// The text a `$ref` in a `description` names: a whole file as it is, or a string in one.
    fn referenced_text(&mut self, reference: &str, file: &str, pointer: &Pointer) -> Result<String, Error> {
        let (target_file, target_pointer) = match self.target(reference, file, pointer)? {
            Target::External(target_file, target_pointer) => (target_file, target_pointer),
            Target::Local(_) => {
                return Err(self.error(file, pointer, format!("`$ref` to `{reference}` in a `description`")))
            }
        };
        if target_pointer == Pointer::root() {
            let loader = self.loader.ok_or_else(|| {
                self.error(
                    file,
                    pointer,
                    format!("`$ref` to `{reference}`: the generator was given no way to read files"),
                )
            })?;
            return loader(&target_file).map_err(|e| {
                self.error(
                    file,
                    pointer,
                    format!("`$ref` to `{reference}`: cannot read {}: {e}", self.shown(&target_file)),
                )
            });
        }
        match self.lookup(&target_file, &target_pointer, reference, (file, pointer))? {
            Value::String(text) => Ok(text),
            _ => Err(self.error(file, pointer, format!("`$ref` to `{reference}` in a `description` is not text"))),
        }
    }

    fn schema(&mut self, value: &mut Value, file: &str, pointer: &Pointer) -> Result<(), Error> {
        let Value::Object(map) = value else { return Ok(()) };
        if let Some(Value::String(reference)) = map.get("$ref") {
            let reference = reference.clone();
            let local = match self.target(&reference, file, pointer)? {
                Target::Local(local) => local,
                Target::External(target_file, target_pointer) => {
                    let name = self.bundle_schema(&target_file, &target_pointer, &reference, (file, pointer))?;
                    Pointer::root().join("components").join("schemas").join(name).to_string()
                }
            };
            map.insert("$ref".into(), Value::String(local));
        }
        if file != self.main_name {
            // Definitions of another file come in one by one, as references reach them.
            map.remove("$defs");
            map.remove("definitions");
        }
        for (segments, child) in subschemas(map) {
            self.schema(child, file, &join_all(pointer, &segments))?;
        }
        Ok(())
    }

    /// A schema of another file that a `$ref` made a component may also have been copied in
    /// place, inside a part copied whole (a response's schema in a path item's file, which
    /// another `$ref` names by file and pointer): each such copy becomes a `$ref` to the
    /// component, so that every use shares one type, as [`super::local_refs`] does within one
    /// file. The deepest first: an outer copy replaced first would hide the inner one.
    fn share_bundled_schemas(&self, tree: &mut Value) {
        let mut places_in: BTreeMap<&str, Vec<(&String, &String)>> = BTreeMap::new();
        for (at, file, pointer) in &self.places {
            places_in.entry(file.as_str()).or_default().push((at, pointer));
        }
        let mut schemas: Vec<(&(String, String), &String)> = self.bundled.iter().collect();
        schemas.sort_by_key(|((_, pointer), _)| std::cmp::Reverse(pointer.matches('/').count()));
        for ((file, pointer), name) in schemas {
            let component = Pointer::root().join("components").join("schemas").join(name).to_string();
            for (at, place_pointer) in places_in.get(file.as_str()).into_iter().flatten() {
                let Some(rest) = pointer.strip_prefix(place_pointer.as_str()) else { continue };
                if !(rest.is_empty() || rest.starts_with('/')) || **at == component {
                    continue;
                }
                if let Some(value) = tree.pointer_mut(&format!("{at}{rest}")[1..]) {
                    *value = json!({ "$ref": component });
                }
            }
        }
    }

    /// Components that are only a `$ref` to another file's schema (`Pet: {$ref:
    /// models/pet.yaml}`, how most specs of many files list their schemas) become that
    /// schema, under their own names: claimed before anything refers to the files, so that
    /// every reference gets the name. A second component naming a claimed file stays a
    /// reference to the first.
    fn claim_listed_schemas(&mut self, schemas: &mut Map<String, Value>, pointer: &Pointer) -> Result<(), Error> {
        let main = self.main_name.to_owned();
        let mut claimed = Vec::new();
        for (name, schema) in schemas.iter() {
            let Some(Value::String(reference)) = schema.get("$ref") else { continue };
            if schema.as_object().is_some_and(|map| map.len() > 1) {
                continue;
            }
            let at = pointer.join(name);
            if let Target::External(file, target) = self.target(reference, &main, &at)? {
                if let Entry::Vacant(entry) = self.bundled.entry((file.clone(), target.to_string())) {
                    entry.insert(name.clone());
                    claimed.push((name.clone(), file, target, reference.clone(), at));
                }
            }
        }
        for (name, file, target, reference, at) in claimed {
            let mut content = self.lookup(&file, &target, &reference, (&main, &at))?;
            self.schema(&mut content, &file, &target)?;
            self.places.push((at.to_string(), file.clone(), target.to_string()));
            schemas.insert(name, content);
        }
        Ok(())
    }

    /// Makes the schema at `pointer` in `file` a component (once), returning its name.
    fn bundle_schema(
        &mut self,
        file: &str,
        pointer: &Pointer,
        reference: &str,
        site: (&str, &Pointer),
    ) -> Result<String, Error> {
        let key = (file.to_owned(), pointer.to_string());
        if let Some(name) = self.bundled.get(&key) {
            return Ok(name.clone());
        }
        let mut content = self.lookup(file, pointer, reference, site)?;
        let stem = file.rsplit('/').next().unwrap_or(file);
        let stem = stem.split('.').next().unwrap_or(stem);
        // A pointer that ends in a word of the format (`.../responses/401/content/application~1json/schema`)
        // is named as a schema moved out of one file is: from the words around it.
        let preferred = match pointer.last() {
            None => stem.to_owned(),
            Some(last) if says_what(last) => last.to_owned(),
            Some(_) => match names_for(pointer) {
                (preferred, _) if !preferred.is_empty() => preferred,
                (_, qualified) => format!("{stem}_{qualified}"),
            },
        };
        let name = unique_name(&mut self.taken, &preferred, &format!("{stem}_{preferred}"));
        let only_a_reference = content.as_object().is_some_and(|map| map.len() == 1 && map.contains_key("$ref"));
        if only_a_reference {
            // Followed before it is named, so that a cycle of bare references is found.
            let step = format!("{file}{pointer}");
            if self.chain.contains(&step) {
                let cycle = self.chain.join(" → ");
                return Err(self.error(
                    site.0,
                    site.1,
                    format!("`$ref` to `{reference}` is part of a cycle of references that never reaches a schema: {cycle} → {step}"),
                ));
            }
            self.chain.push(step);
            let walked = self.schema(&mut content, file, pointer);
            self.chain.pop();
            walked?;
            self.bundled.insert(key, name.clone());
        } else {
            // Named first: a schema may refer to itself, through its fields.
            self.bundled.insert(key, name.clone());
            let chain = std::mem::take(&mut self.chain);
            let walked = self.schema(&mut content, file, pointer);
            self.chain = chain;
            walked?;
        }
        let component = Pointer::root().join("components").join("schemas").join(&name);
        self.places.push((component.to_string(), file.to_owned(), pointer.to_string()));
        self.added.push((name.clone(), content));
        Ok(name)
    }
}

/// A path with `.` and `..` segments resolved (a leading `..` stays, and so does a leading
/// `/` of an absolute path).
fn normalize(path: &str) -> String {
    let root = if path.starts_with('/') { "/" } else { "" };
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if segments.last().is_some_and(|last| *last != "..") => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    format!("{root}{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize("schemas/../common.yaml"), "common.yaml");
        assert_eq!(normalize("./a/./b.yaml"), "a/b.yaml");
        assert_eq!(normalize("../x/../../y.yaml"), "../../y.yaml");
        assert_eq!(normalize("/work/spec/../models/a.yaml"), "/work/models/a.yaml");
    }
}
