"""WTForms forms. Every message is specific, kind and translatable."""
