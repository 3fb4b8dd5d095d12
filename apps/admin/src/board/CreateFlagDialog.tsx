import { Button } from '@stagegate/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '@stagegate/ui/dialog';
import { toast } from '@stagegate/ui/toast';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { RoleGate } from '../auth/RoleGate.js';
import { errorCode, errorMessage, serverFieldErrors } from '../lib/errors.js';
import { navigate } from '../lib/router.js';
import { trpc } from '../lib/trpc.js';
import { CreateFlagForm } from './CreateFlagForm.js';

export function CreateFlagDialog() {
  const [open, setOpen] = useState(false);
  const utils = trpc.useUtils();
  const create = trpc.admin.flags.create.useMutation({
    onSuccess: (flag) => {
      void utils.admin.flags.list.invalidate();
      toast.success(`Created ${flag.name}`);
      setOpen(false);
      navigate(`/flags/${flag.key}`);
    },
    onError: (error) => {
      if (errorCode(error) !== 'VALIDATION_FAILED' && errorCode(error) !== 'CONFLICT') toast.error(errorMessage(error));
    },
  });
  const serverErrors = { ...serverFieldErrors(create.error), ...(errorCode(create.error) === 'CONFLICT' && { key: errorMessage(create.error) }) };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <RoleGate role="editor">
        <DialogTrigger asChild>
          <Button>
            <Plus aria-hidden="true" /> Create flag
          </Button>
        </DialogTrigger>
      </RoleGate>
      <DialogContent title="Create a flag" description="It starts in the stage you pick, with its TTL counting from now." className="max-w-2xl">
        <CreateFlagForm pending={create.isPending} serverErrors={serverErrors} onSubmit={(request) => create.mutate(request)} />
      </DialogContent>
    </Dialog>
  );
}
