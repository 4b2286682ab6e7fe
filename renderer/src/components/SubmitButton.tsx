// A form's primary submit button, on its own line: disabled while the form is being sent, and saying so.
export function SubmitButton({
  testId,
  sending,
  label,
  sendingLabel,
}: {
  testId: string;
  sending: boolean;
  label: string;
  sendingLabel: string;
}) {
  return (
    <div>
      <button type="submit" className="primary" data-testid={testId} disabled={sending}>
        {sending ? sendingLabel : label}
      </button>
    </div>
  );
}
