package io.github.hpcorchestrator.exporter;

import java.util.OptionalDouble;

/**
 * One GPU's line of {@code nvidia-smi --query-gpu=...}, in nvidia-smi's units. A value nvidia-smi
 * reported as {@code [N/A]} or {@code [Not Supported]} is empty.
 *
 * @param utilizationPercent utilization.gpu, 0-100
 * @param memoryUsedMib memory.used in MiB
 * @param memoryTotalMib memory.total in MiB
 * @param powerWatts power.draw in W
 * @param temperatureCelsius temperature.gpu in degrees C
 */
public record GpuReading(int index, String uuid, String name, OptionalDouble utilizationPercent,
    OptionalDouble memoryUsedMib, OptionalDouble memoryTotalMib, OptionalDouble powerWatts,
    OptionalDouble temperatureCelsius) {}
