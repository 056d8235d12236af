package io.infrasteps.plugin.common;

import hudson.model.Item;
import hudson.util.FormValidation;
import io.infrasteps.engine.common.InvalidInputException;

/**
 * The form check of the {@code siteYaml} text area (Snippet Generator, Declarative Directive Generator): the text is
 * parsed by the engine as the step will parse it, and the error names the path of the bad value without repeating
 * the text. Parsing touches nothing but the string; still, only users who may configure or read the job's
 * configuration (or administrators, outside a job) get an answer, as for every form check ({@link StepArguments#formCheck}).
 */
public final class SiteYamlCheck {
    private SiteYamlCheck() {
    }

    /** The form validation of {@code value} for a user on {@code item}'s pages (null: outside a job). */
    public static FormValidation check(Item item, String value) {
        if (!StepArguments.mayCheck(item)) {
            return FormValidation.ok();
        }
        String problem = problem(value);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** The problem with a {@code siteYaml} text typed into a form, or null (an empty field means "not given"). */
    public static String problem(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            SiteRef.parseYaml(value);
            return null;
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }
}
