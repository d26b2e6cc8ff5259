package io.github.hpcorchestrator.recipe;

import java.util.Optional;

/**
 * Container image for a service: an Apptainer image at {@code imagePath}, built from
 * {@code dockerSource} when missing.
 */
public record ContainerSpec(Optional<String> dockerSource, Optional<String> imagePath) {}
