// The public API of @moonpool/transport, by area.
