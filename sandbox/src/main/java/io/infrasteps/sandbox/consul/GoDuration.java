package io.infrasteps.sandbox.consul;

/**
 * Go's {@code time.ParseDuration} and {@code Duration.String()}, which Consul uses for
 * {@code ?wait=}, session {@code TTL} and {@code LockDelay}: a sequence of decimal numbers with
 * units {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}, e.g.
 * {@code 10s}, {@code 500ms}, {@code 1h2m3.5s}; {@code 0} needs no unit.
 */
final class GoDuration {
    private GoDuration() {
    }

    /** Nanoseconds, or {@link IllegalArgumentException} with Go's message. */
    static long parseNanos(String text) {
        String orig = text;
        if (text == null) {
            throw new IllegalArgumentException("time: invalid duration \"\"");
        }
        boolean negative = false;
        String s = text;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(orig);
        }
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(orig);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
            }
            long scale;
            switch (unit) {
                case "ns":
                    scale = 1L;
                    break;
                case "us":
                case "\u00b5s":
                case "\u03bcs":
                    scale = 1_000L;
                    break;
                case "ms":
                    scale = 1_000_000L;
                    break;
                case "s":
                    scale = 1_000_000_000L;
                    break;
                case "m":
                    scale = 60_000_000_000L;
                    break;
                case "h":
                    scale = 3_600_000_000_000L;
                    break;
                default:
                    throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
            }
            total += Double.parseDouble(number) * scale;
            if (total > Long.MAX_VALUE) {
                throw invalid(orig);
            }
        }
        long nanos = Math.round(total);
        return negative ? -nanos : nanos;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }

    /** Go's {@code Duration.String()}: {@code 24h0m0s}, {@code 10s}, {@code 1.5s}, {@code 500ms}, {@code 0s}. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (nanos < 0) {
            out.append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000L) {
                return out.append(nanos).append("ns").toString();
            }
            if (nanos < 1_000_000L) {
                return out.append(fraction(nanos, 1_000L)).append("\u00b5s").toString();
            }
            return out.append(fraction(nanos, 1_000_000L)).append("ms").toString();
        }
        long hours = nanos / 3_600_000_000_000L;
        long rest = nanos % 3_600_000_000_000L;
        long minutes = rest / 60_000_000_000L;
        long secondsNanos = rest % 60_000_000_000L;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(fraction(secondsNanos, 1_000_000_000L)).append('s').toString();
    }

    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long frac = value % unit;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String digits = String.format("%0" + Long.toString(unit - 1).length() + "d", frac).replaceAll("0+$", "");
        return whole + "." + digits;
    }
}
