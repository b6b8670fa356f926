import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { BadUserInputError, type FieldProblem } from '@pilotage/common';

function collect(errors: readonly ValidationError[], prefix: string, into: FieldProblem[]): void {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) into.push({ field, message });
    if (error.children && error.children.length > 0) collect(error.children, field, into);
  }
}

/** Flattens class-validator errors into field problems named by their path in the input. */
export function toBadUserInput(errors: readonly ValidationError[]): BadUserInputError {
  const fields: FieldProblem[] = [];
  collect(errors, '', fields);
  const summary = fields.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
  return new BadUserInputError(`Invalid input — ${summary}`, fields);
}

/** The one global pipe: unknown properties stripped, inputs transformed to their classes. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => toBadUserInput(errors),
  });
}
