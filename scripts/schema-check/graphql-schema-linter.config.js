// graphql-schema-linter's configuration for schema.graphql (run by
// scripts/schema-check.sh). Every rule of the linter runs except those
// listed under "Left out", each with the reason.
module.exports = {
  rules: [
    // The Relay cursor connections spec, as GitHub's API follows it.
    'relay-connection-types-spec',
    'relay-connection-arguments-spec',
    'relay-page-info-spec',
    // Every type, field, argument, input field and enum value says what it
    // is (a Rust test checks the same on the built schema).
    'types-have-descriptions',
    'fields-have-descriptions',
    'arguments-have-descriptions',
    'input-object-values-have-descriptions',
    'enum-values-have-descriptions',
    'descriptions-are-capitalized',
    'deprecations-have-a-reason',
    // Naming.
    'types-are-capitalized',
    'fields-are-camel-cased',
    'input-object-values-are-camel-cased',
    'enum-values-all-caps',
    'defined-types-are-used',
    // Left out:
    // - enum-values-sorted-alphabetically: the contract
    //   (../shared/contract/contract.graphql) fixes the order of its enums,
    //   and it is meaningful: DraftState lists the states in the order a
    //   draft goes through them, Lang the languages in the order documents
    //   print them.
    // - type-fields-sorted-alphabetically, input-object-fields-sorted-
    //   alphabetically, interface-fields-sorted-alphabetically: fields are
    //   listed in the order that reads best (an object's id first, the
    //   contract's input fields in the contract's order); the SDL is
    //   generated from the code, and sorting would only reorder it.
  ],
};
